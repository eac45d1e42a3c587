/**
 * A wide table that scrolls sideways inside its card, so the page never does (issue 15: at 390 px
 * the rounds and history tables made the page 677 px wide, the history's actions off-screen). A
 * region that scrolls is focusable, so the keyboard can scroll it too (WCAG 2.1.1).
 */
export function TableScroll({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="table-scroll" role="region" aria-label={label} tabIndex={0} data-keys="scroll">
      {children}
    </div>
  );
}
