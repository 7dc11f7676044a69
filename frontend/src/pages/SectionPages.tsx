import { Link } from "react-router";

import { Page } from "../components/Page";

function NotYetAvailable({ title }: { title: string }) {
  return (
    <Page title={title}>
      <p>This part of Haven is not available yet.</p>
    </Page>
  );
}

export function AddIncidentPage() {
  return <NotYetAvailable title="Add Incident" />;
}

export function IncidentPage() {
  return <NotYetAvailable title="Viewing Incident" />;
}

export function NotFoundPage() {
  return (
    <Page title="Page not found">
      <p>There is no page at this address.</p>
      <p>
        <Link to="/">Go to the Dashboard</Link>
      </p>
    </Page>
  );
}
