import { type ReactNode, useEffect, useRef } from "react";

import { BackLink } from "./BackLink";
import { useConfig } from "./ConfigContext";

// The first page of a visit keeps the browser's own starting focus; after that, each new
// page moves focus to its heading so screen-reader and keyboard users know where they are.
let firstPageShown = false;

export function Page({
  title,
  heading,
  back,
  children,
}: {
  title: string;
  /** What the h1 shows when it differs from the window title (e.g. with a pupil's name). */
  heading?: ReactNode;
  /** Show "Back", going where the person came from, or to this path when they came from
   * outside the app. */
  back?: string;
  children?: ReactNode;
}) {
  const { schoolName } = useConfig();
  const headingRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    document.title = `${title} - ${schoolName} - Haven`;
  }, [title, schoolName]);

  useEffect(() => {
    if (firstPageShown) headingRef.current?.focus();
    firstPageShown = true;
  }, []);

  return (
    <>
      <h1 ref={headingRef} tabIndex={-1} className="page-heading">
        {heading ?? title}
      </h1>
      {back !== undefined && <BackLink fallback={back} />}
      {children}
    </>
  );
}
