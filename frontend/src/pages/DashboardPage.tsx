import { useCurrentUser } from "../components/CurrentUser";
import { Page } from "../components/Page";

export function DashboardPage() {
  const me = useCurrentUser();
  return (
    <Page title="Dashboard">
      <p className="signed-in-as">
        Signed in as <strong>{me.fullName}</strong>
        {me.jobTitle ? `, ${me.jobTitle}` : ""}.
      </p>
    </Page>
  );
}
