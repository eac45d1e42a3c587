/** One figure of the lab: its title with the export buttons, a caption computed from its data. */
import { FigureExport } from './FigureExport';

export function Figure({
  id,
  title,
  caption,
  children,
  points,
}: {
  id: string;
  title: string;
  caption?: string;
  children: React.ReactNode;
  points?: number;
}) {
  return (
    <figure className="panel figure" data-testid={`figure-${id}`} data-points={points}>
      <h2>
        {title} <FigureExport targetId={`figure-${id}`} name={id} />
      </h2>
      {caption && <figcaption>{caption}</figcaption>}
      {children}
    </figure>
  );
}
