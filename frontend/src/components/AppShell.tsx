import { useState } from "react";
import { NavLink, Outlet } from "react-router";
import { useClient } from "urql";

import { logout } from "../api/auth";
import { BlankScreenButton, BlankScreenProvider } from "./BlankScreen";
import { useConfig } from "./ConfigContext";
import { useCurrentUser } from "./CurrentUser";
import { HideNamesButton, HideNamesStatus } from "./HideNames";
import { clearDrafts } from "./forms/useSessionDraft";

export const SECURITY_NOTICE =
  "It is your responsibility to log out and protect the security of student information.";

function TopLinks() {
  const { headerLinks } = useConfig();
  if (headerLinks.length === 0) return null;
  return (
    <nav aria-label="Haven links" className="top-links">
      <ul>
        {headerLinks.map((link) => (
          <li key={link.href}>
            <a href={link.href}>{link.label}</a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

function SkipLink() {
  return (
    <a className="skip-link" href="#main">
      Skip to main content
    </a>
  );
}

function LogoutButton() {
  const client = useClient();
  const [problem, setProblem] = useState<string>();
  const [busy, setBusy] = useState(false);
  const onClick = async (): Promise<void> => {
    setBusy(true);
    const result = await logout(client);
    if (result.ok) {
      // Unsent form drafts stay with the person who typed them, not the next one here.
      clearDrafts();
      // A full load drops everything this page held in memory about the school's records.
      window.location.assign("/login");
      return;
    }
    setBusy(false);
    setProblem(result.errors[0]?.message ?? "Logging out did not work. Please try again.");
  };
  return (
    <>
      <button type="button" className="nav-button" onClick={onClick} disabled={busy}>
        Logout
      </button>
      {problem && (
        <span role="alert" className="nav-error">
          {problem}
        </span>
      )}
    </>
  );
}

/** The header, navigation and footer of every signed-in page. */
export function AppShell() {
  const { schoolName, blankScreenIdleSeconds } = useConfig();
  const me = useCurrentUser();
  return (
    <BlankScreenProvider idleSeconds={blankScreenIdleSeconds}>
      <SkipLink />
      <header className="site-header">
        <TopLinks />
        <div className="header-bar">
          <p className="security-notice">{SECURITY_NOTICE}</p>
          <div className="header-actions">
            <HideNamesButton />
            <BlankScreenButton />
          </div>
          <HideNamesStatus />
        </div>
        <nav aria-label="Main" className="main-nav">
          <span className="school-name">{schoolName}</span>
          <ul>
            <li>
              <NavLink to="/" end>
                Dashboard
              </NavLink>
            </li>
            <li>
              <NavLink to="/add-incident">Add Incident</NavLink>
            </li>
            {me.hasKeyAccess && (
              <li>
                <NavLink to="/students">Students</NavLink>
              </li>
            )}
            <li>
              <NavLink to="/library">Library</NavLink>
            </li>
            <li>
              <NavLink to="/account">Account Settings</NavLink>
            </li>
            {me.isSchoolAdmin && (
              <li>
                <NavLink to="/settings">Settings</NavLink>
              </li>
            )}
            <li>
              <LogoutButton />
            </li>
          </ul>
        </nav>
      </header>
      <main id="main" className="page">
        <Outlet />
      </main>
      <Footer />
    </BlankScreenProvider>
  );
}

/** "© year school", Haven's version, and the cookie policy and privacy notice (pages the
 * server renders, so a full page load: see tenants/help_pages.py). */
export function Footer() {
  const { schoolName, version } = useConfig();
  return (
    <footer className="site-footer">
      <p>
        © {new Date().getFullYear()} {schoolName || "Haven"}
        {version && <> · Haven {version}</>} · <a href="/cookies">Cookie policy</a> ·{" "}
        <a href="/privacy">Privacy notice</a>
      </p>
    </footer>
  );
}

/** Login and password pages: the school, the notice, and no navigation. */
export function PublicLayout() {
  const { schoolName } = useConfig();
  return (
    <>
      <SkipLink />
      <header className="site-header">
        <TopLinks />
        <div className="header-bar">
          <p className="security-notice">{SECURITY_NOTICE}</p>
        </div>
        <div className="main-nav">
          <span className="school-name">{schoolName}</span>
        </div>
      </header>
      <main id="main" className="page page-narrow">
        <Outlet />
      </main>
      <Footer />
    </>
  );
}
