import routes from "./routes.json";

/**
 * Every client-side route but the dashboard (the index, "/"), in React Router's path syntax.
 * routes.json is the one list: the router below uses it, and the server answers the same paths
 * with the HTML shell (tenants/frontend.py reads the file), so a reload or a link from an
 * e-mail on any screen gets the app, and any other path is a plain 404.
 */
export const ROUTES = routes;

export type RouteName = keyof typeof routes;

/** The route's absolute path pattern, as a <Route path> takes it. */
export function at(name: RouteName): string {
  return `/${ROUTES[name]}`;
}
