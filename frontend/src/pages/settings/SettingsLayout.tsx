import { NavLink, Outlet } from "react-router";

import { useCurrentUser } from "../../components/CurrentUser";
import { Page } from "../../components/Page";
import { ReauthenticationProvider, SecondFactorNeeded } from "./reauthentication";
import "./Settings.css";

/** The settings screens, in the order of the sub-navigation. */
export const SETTINGS_SECTIONS = [
  { path: "/settings/categories", label: "Categories" },
  { path: "/settings/alert-groups", label: "Alert groups" },
  { path: "/settings/agencies", label: "Agencies" },
  { path: "/settings/access-levels", label: "Access levels" },
  { path: "/settings/staff", label: "Staff" },
  { path: "/settings/api-clients", label: "API clients" },
  { path: "/settings/history", label: "Change history" },
] as const;

/** School admins' settings: a sub-navigation beside whichever settings screen is open. */
export function SettingsLayout() {
  const me = useCurrentUser();
  if (!me.isSchoolAdmin) {
    // The server gives non-admins no settings data either; this only says so plainly.
    return (
      <Page title="Settings">
        <p>Only school admins can change the school's settings.</p>
      </Page>
    );
  }
  if (!me.secondFactorPassed) {
    // The server gives an admin signed in with a password alone no settings data either.
    return (
      <Page title="Settings">
        <SecondFactorNeeded />
      </Page>
    );
  }
  return (
    <div className="settings-layout">
      <nav aria-label="Settings" className="settings-nav">
        <ul>
          {SETTINGS_SECTIONS.map((section) => (
            <li key={section.path}>
              <NavLink to={section.path}>{section.label}</NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <div className="settings-content">
        <ReauthenticationProvider>
          <Outlet />
        </ReauthenticationProvider>
      </div>
    </div>
  );
}
