import { useMemo } from "react";
import { BrowserRouter, Route, Routes } from "react-router";
import { Provider as GraphqlProvider } from "urql";

import { createGraphqlClient } from "./api/client";
import { AppShell, PublicLayout } from "./components/AppShell";
import { ConfigContext } from "./components/ConfigContext";
import { RequireSignIn } from "./components/CurrentUser";
import { HideNamesProvider } from "./components/HideNames";
import type { AppConfig } from "./config";
import { AccountSettingsPage } from "./pages/account/AccountSettingsPage";
import { DashboardPage } from "./pages/DashboardPage";
import { ForgottenPasswordPage } from "./pages/ForgottenPasswordPage";
import { LoginPage } from "./pages/LoginPage";
import { LibraryPage } from "./pages/library/LibraryPage";
import { SecondFactorPage } from "./pages/SecondFactorPage";
import { AddIncidentPage, IncidentPage, NotFoundPage } from "./pages/SectionPages";
import { SetPasswordPage } from "./pages/SetPasswordPage";
import { ApiClientsSettingsPage } from "./pages/settings/ApiClientsSettingsPage";

/**
 * Every client-side route. The server answers the same paths with the HTML shell (see
 * tenants/frontend.py, APP_ROUTES); a path added here must be added there too.
 */
export function AppRoutes() {
  return (
    <Routes>
      <Route element={<PublicLayout />}>
        <Route path="login" element={<LoginPage />} />
        <Route path="second-factor" element={<SecondFactorPage />} />
        <Route path="forgotten-password" element={<ForgottenPasswordPage />} />
        <Route path="set-password/:uid/:token" element={<SetPasswordPage />} />
      </Route>
      <Route
        element={
          <RequireSignIn>
            <AppShell />
          </RequireSignIn>
        }
      >
        <Route index element={<DashboardPage />} />
        <Route path="add-incident" element={<AddIncidentPage />} />
        <Route path="incidents/:incidentId/*" element={<IncidentPage />} />
        <Route path="library/*" element={<LibraryPage />} />
        <Route path="account" element={<AccountSettingsPage />} />
        <Route path="settings/api-clients" element={<ApiClientsSettingsPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}

export function App({ config, fetchImpl }: { config: AppConfig; fetchImpl?: typeof fetch }) {
  const client = useMemo(() => createGraphqlClient(config, fetchImpl), [config, fetchImpl]);
  return (
    <ConfigContext.Provider value={config}>
      <GraphqlProvider value={client}>
        <HideNamesProvider>
          <BrowserRouter>
            <AppRoutes />
          </BrowserRouter>
        </HideNamesProvider>
      </GraphqlProvider>
    </ConfigContext.Provider>
  );
}
