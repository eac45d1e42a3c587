/** Named selector hooks: views read the store only through these. */
import { useShallow } from 'zustand/react/shallow';
import { type LabState, useLabStore } from './lab-store';

const selectRunStatus = (s: LabState) => ({ state: s.state, detail: s.stateDetail, progress: s.progress, data: s.data });
const selectBackend = (s: LabState) => s.backend;
const selectRounds = (s: LabState) => s.rounds;
const selectConfig = (s: LabState) => s.config;
const selectBackendChoice = (s: LabState) => s.backendChoice;
const selectErrors = (s: LabState) => s.errors;
const selectTheta0 = (s: LabState) => s.theta0;

export const useRunStatus = () => useLabStore(useShallow(selectRunStatus));
export const useBackendInfo = () => useLabStore(selectBackend);
export const useRounds = () => useLabStore(selectRounds);
export const useConfig = () => useLabStore(selectConfig);
export const useBackendChoice = () => useLabStore(selectBackendChoice);
export const useErrors = () => useLabStore(selectErrors);
export const useTheta0 = () => useLabStore(selectTheta0);
