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
import { at } from "./routes";
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
 * Every client-side route. Paths come from routes.json, which the server reads too (see
 * tenants/frontend.py), so a screen added there is served by both.
 */
export function AppRoutes() {
  return (
    <Routes>
      <Route element={<PublicLayout />}>
        <Route path={at("login")} element={<LoginPage />} />
        <Route path={at("secondFactor")} element={<SecondFactorPage />} />
        <Route path={at("forgottenPassword")} element={<ForgottenPasswordPage />} />
        <Route path={at("setPassword")} element={<SetPasswordPage />} />
      </Route>
      <Route
        element={
          <RequireSignIn>
            <AppShell />
          </RequireSignIn>
        }
      >
        <Route index element={<DashboardPage />} />
        <Route path={at("addIncident")} element={<AddIncidentPage />} />
        <Route path={at("addAction")} element={<AddActionPage />} />
        <Route path={at("incident")} element={<IncidentPage />} />
        <Route path={at("students")} element={<StudentsPage />} />
        <Route path={at("student")} element={<StudentPage />} />
        <Route path={at("library")} element={<LibraryPage />} />
        <Route path={at("account")} element={<AccountSettingsPage />} />
        <Route path={at("settings")} element={<SettingsLayout />}>
          <Route index element={<Navigate to="categories" replace />} />
          <Route path={at("settingsCategories")} element={<CategoriesSettings />} />
          <Route path={at("settingsAlertGroups")} element={<AlertGroupsSettings />} />
          <Route path={at("settingsAgencies")} element={<AgenciesSettings />} />
          <Route path={at("settingsAccessLevels")} element={<AccessLevelsSettings />} />
          <Route path={at("settingsStaff")} element={<StaffSettings />} />
          <Route path={at("settingsApiClients")} element={<ApiClientsSettingsPage />} />
          <Route path={at("settingsHistory")} element={<ChangeHistorySettings />} />
          <Route path={at("settingsOther")} element={<NotFoundPage />} />
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
