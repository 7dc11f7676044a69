import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import { HideNamesButton, HideNamesProvider, PupilName, TextWithNames } from "./HideNames";

const TEXT = "Chloe Kelan added an incident for Hannah Greenwood";
const SPANS = [{ start: 34, end: 50 }];

describe("Hide Names", () => {
  it("stars out pupils' names in headings and in text, but not staff names", async () => {
    const { container } = render(
      <HideNamesProvider>
        <HideNamesButton />
        <h1>
          Viewing Incident - <PupilName name="Hannah Greenwood" /> (1B)
        </h1>
        <p>
          <TextWithNames text={TEXT} spans={SPANS} />
        </p>
      </HideNamesProvider>,
    );
    expect(container).toHaveTextContent("Viewing Incident - Hannah Greenwood (1B)");

    await userEvent.click(screen.getByRole("button", { name: "Hide Names" }));

    expect(container).not.toHaveTextContent("Hannah");
    expect(screen.getByRole("heading")).toHaveTextContent("Viewing Incident - ****** ********* (1B)");
    expect(screen.getByText(/added an incident/)).toHaveTextContent(
      "Chloe Kelan added an incident for ****** *********",
    );

    await userEvent.click(screen.getByRole("button", { name: "Show Names" }));
    expect(container).toHaveTextContent("Chloe Kelan added an incident for Hannah Greenwood");
  });

  it("still works when the browser refuses storage", async () => {
    const refusing = {
      getItem: () => {
        throw new Error("denied");
      },
      setItem: () => {
        throw new Error("denied");
      },
      removeItem: () => {
        throw new Error("denied");
      },
    } as unknown as Storage;
    render(
      <HideNamesProvider storage={refusing}>
        <HideNamesButton />
        <PupilName name="Asif Hussain" />
      </HideNamesProvider>,
    );
    await userEvent.click(screen.getByRole("button", { name: "Hide Names" }));
    expect(screen.getByText("**** *******")).toBeVisible();
  });
});
