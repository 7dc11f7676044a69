import { useMemo } from "react";
import { BrowserRouter, Navigate, Route, Routes } from "react-router";
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
import { IncidentPage } from "./pages/IncidentPage";
import { LoginPage } from "./pages/LoginPage";
import { LibraryPage } from "./pages/library/LibraryPage";
import { SecondFactorPage } from "./pages/SecondFactorPage";
import { AddActionPage } from "./pages/addAction/AddActionPage";
import { AddIncidentPage } from "./pages/addIncident/AddIncidentPage";
import { NotFoundPage } from "./pages/SectionPages";
import { SetPasswordPage } from "./pages/SetPasswordPage";
import { StudentPage } from "./pages/StudentPage";
import { StudentsPage } from "./pages/StudentsPage";
import { AccessLevelsSettings } from "./pages/settings/AccessLevelsSettings";
import { ChangeHistorySettings } from "./pages/settings/ChangeHistorySettings";
import { StaffSettings } from "./pages/settings/StaffSettings";
import { ApiClientsSettingsPage } from "./pages/settings/ApiClientsSettingsPage";
import { AgenciesSettings } from "./pages/settings/AgenciesSettings";
import { AlertGroupsSettings } from "./pages/settings/AlertGroupsSettings";
import { CategoriesSettings } from "./pages/settings/CategoriesSettings";
import { SettingsLayout } from "./pages/settings/SettingsLayout";

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
        <Route path="incidents/:incidentId/add-action" element={<AddActionPage />} />
        <Route path="incidents/:incidentId/*" element={<IncidentPage />} />
        <Route path="students" element={<StudentsPage />} />
        <Route path="students/:studentId" element={<StudentPage />} />
        <Route path="library/*" element={<LibraryPage />} />
        <Route path="account" element={<AccountSettingsPage />} />
        <Route path="settings" element={<SettingsLayout />}>
          <Route index element={<Navigate to="categories" replace />} />
          <Route path="categories" element={<CategoriesSettings />} />
          <Route path="alert-groups" element={<AlertGroupsSettings />} />
          <Route path="agencies" element={<AgenciesSettings />} />
          <Route path="access-levels" element={<AccessLevelsSettings />} />
          <Route path="staff" element={<StaffSettings />} />
          <Route path="api-clients" element={<ApiClientsSettingsPage />} />
          <Route path="history" element={<ChangeHistorySettings />} />
          <Route path="*" element={<NotFoundPage />} />
        </Route>
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
