/**
 * Two small buttons that save one figure as SVG or PNG (issue 4). They find the figure by its
 * test id at click time, so they need no ref into the chart and no store access. A failure
 * never breaks the page: it is logged and said in a short line beside the buttons.
 */
import { useState } from 'react';
import { figureSvg, svgSize, svgToPng } from '../charts/export';
import { downloadBlob } from '../effects/download';
import { figureFileName } from '../formats/file-names';

type Format = 'svg' | 'png';

async function exportFigure(targetId: string, name: string, format: Format): Promise<void> {
  // Inside a double-quoted attribute selector only `"` and `\` need escaping.
  const figure = document.querySelector<HTMLElement>(
    `[data-testid="${targetId.replace(/["\\]/g, '\\$&')}"]`,
  );
  if (!figure) throw new Error(`no figure "${targetId}" on the page`);
  const svg = figureSvg(figure);
  if (format === 'svg') {
    downloadBlob(new Blob([svg], { type: 'image/svg+xml' }), figureFileName(name, 'svg'));
  } else {
    const { width, height } = svgSize(svg);
    downloadBlob(await svgToPng(svg, width, height), figureFileName(name, 'png'));
  }
}

export function FigureExport({ targetId, name }: { targetId: string; name: string }) {
  const [status, setStatus] = useState('');
  const save = (format: Format) => {
    setStatus('');
    exportFigure(targetId, name, format).catch((err: unknown) => {
      console.error(err);
      setStatus(`export failed: ${err instanceof Error ? err.message : String(err)}`);
    });
  };
  return (
    <span className="figure-export">
      {(['svg', 'png'] as const).map((format) => (
        <button
          key={format}
          type="button"
          className="export"
          data-testid={`export-${name}-${format}`}
          aria-label={`Download this figure as ${format.toUpperCase()}`}
          title={`Download this figure as ${format.toUpperCase()}`}
          onClick={() => save(format)}
        >
          {format.toUpperCase()}
        </button>
      ))}
      {status && (
        <span className="export-status" role="status" data-testid={`export-${name}-status`}>
          {status}
        </span>
      )}
    </span>
  );
}
