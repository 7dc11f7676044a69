import { Page } from "../../components/Page";
import { ApiClientsSettings } from "./ApiClientsSettings";

/** Settings → API clients: the tokens MIS sync tools use. */
export function ApiClientsSettingsPage() {
  return (
    <Page title="API clients">
      <ApiClientsSettings />
    </Page>
  );
}
