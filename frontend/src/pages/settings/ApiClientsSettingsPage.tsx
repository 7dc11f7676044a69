import { Page } from "../../components/Page";
import { ApiClientsSettings } from "./ApiClientsSettings";

/** Until the Settings screens have their own layout, API clients stand on their own page. */
export function ApiClientsSettingsPage() {
  return (
    <Page title="Settings">
      <ApiClientsSettings />
    </Page>
  );
}
