import { useEffect, useRef } from "react";

export interface SummaryItem {
  message: string;
  /** The id of the control (or group) to move to, if the message belongs to one. */
  targetId?: string | undefined;
}

/**
 * 'There is a problem': every message of a failed submission at the top of the form, each
 * a link to its field. It takes the focus when it appears so it is read out at once.
 */
export function ErrorSummary({ items, attempt }: { items: readonly SummaryItem[]; attempt: number }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (items.length > 0) ref.current?.focus();
    // A new attempt with the same messages is still a new failure to announce.
  }, [items, attempt]);
  if (items.length === 0) return null;
  return (
    <div ref={ref} className="error-summary" tabIndex={-1} role="alert" aria-labelledby="error-summary-title">
      <h2 id="error-summary-title">There is a problem</h2>
      <ul>
        {items.map((item, index) => (
          <li key={index}>
            {item.targetId ? (
              <a
                href={`#${item.targetId}`}
                onClick={(event) => {
                  event.preventDefault();
                  const target = document.getElementById(item.targetId ?? "");
                  target?.focus();
                  target?.scrollIntoView({ block: "center" });
                }}
              >
                {item.message}
              </a>
            ) : (
              item.message
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
