import type { ReactElement } from "react";
import { createRoutesFromElements, type RouteObject } from "react-router";
import { describe, expect, it } from "vitest";

import { AppRoutes } from "./App";
import { ROUTES } from "./routes";

function paths(routes: RouteObject[]): string[] {
  return routes.flatMap((route) => [
    ...(route.path === undefined ? [] : [route.path]),
    ...paths(route.children ?? []),
  ]);
}

describe("the web app's routes", () => {
  it("are exactly routes.json, which the server answers with the shell", () => {
    const tree = AppRoutes() as ReactElement<{ children: ReactElement[] }>;
    const served = paths(createRoutesFromElements(tree.props.children));
    // "*" is the not-found page (the server's 404); the dashboard is the index route ("/").
    const declared = Object.values(ROUTES).map((route) => `/${route}`);
    expect(served.filter((path) => path !== "*").sort()).toEqual([...declared].sort());
  });
});
