/** Types of build-kernels.mjs, for vite.config.ts. */
export declare const MAX_PAGES: number;
/** Compiles assembly/lenet.ts to public/kernels/ unless its stamp says the binaries are fresh. */
export declare function buildKernels(options?: { quiet?: boolean }): Promise<void>;
