import { type FormEvent, useCallback, useId, useState } from "react";
import { useQuery } from "urql";

import { Field, FormError } from "../../components/Field";
import { Page } from "../../components/Page";
import type { SettingsCategoriesQuery as SettingsCategoriesResult } from "../../gql/graphql";
import {
  MIN_CONTRAST,
  colourProblem,
  contrastWithWhite,
  darkerSuggestion,
  isHexColour,
  normaliseColour,
} from "../../lib/contrast";
import { moved } from "../../lib/order";
import {
  CreateCategoryMutation,
  CreateSubcategoryMutation,
  DeleteCategoryMutation,
  DeleteSubcategoryMutation,
  ReorderCategoriesMutation,
  ReorderSubcategoriesMutation,
  SetCategoryActiveMutation,
  SetSubcategoryActiveMutation,
  SettingsCategoriesQuery,
  UpdateCategoryMutation,
  UpdateSubcategoryMutation,
} from "./settingsApi";
import {
  DeleteButton,
  type Errors,
  ListProblem,
  MoveButtons,
  NO_ERRORS,
  NameForm,
  Tags,
  useChange,
  useFocusAfterReload,
} from "./settingsParts";
import "./Settings.css";

type Category = NonNullable<SettingsCategoriesResult["settingsCategories"]>[number];
type Subcategory = Category["subcategories"][number];
type Change = ReturnType<typeof useChange>;

const NAME_MAX = 80;
const DEFAULT_COLOUR = "#2c5282";

/** A category chip as staff see it: white text on the category's colour. */
export function CategoryChip({ name, colour }: { name: string; colour: string }) {
  const usable = isHexColour(colour) ? normaliseColour(colour) : "#4a5568";
  return (
    <span className="category-chip" style={{ backgroundColor: usable }}>
      {name}
    </span>
  );
}

interface CategoryValues {
  name: string;
  colour: string;
  dslTeamOnly: boolean;
}

/** Add or edit a category: name, colour with a live chip preview and contrast check. */
function CategoryForm({
  initial,
  submitLabel,
  onSubmit,
  onCancel,
}: {
  initial: CategoryValues;
  submitLabel: string;
  onSubmit: (values: CategoryValues) => Promise<Errors>;
  onCancel?: () => void;
}) {
  const [values, setValues] = useState(initial);
  const [errors, setErrors] = useState<Errors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  const [tried, setTried] = useState(false);
  const pickerId = useId();
  const dslId = useId();
  const colour = normaliseColour(values.colour);
  // Low contrast shows as soon as a whole colour is there; a malformed one only on saving.
  const liveProblem = isHexColour(colour) || tried ? colourProblem(colour) : undefined;
  const readable = isHexColour(colour) && contrastWithWhite(colour) >= MIN_CONTRAST;
  const swatch = isHexColour(colour) ? colour : "transparent";
  const suggestion = isHexColour(colour) && !readable ? darkerSuggestion(colour) : undefined;
  const chipName = values.name.trim() || "Category name";

  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    setTried(true);
    if (colourProblem(colour)) return;
    setBusy(true);
    const answer = await onSubmit({ ...values, colour });
    setBusy(false);
    setErrors(answer);
    const failed = answer.form || Object.keys(answer.fields).length > 0;
    if (!failed && !onCancel) {
      setValues(initial);
      setTried(false);
    }
  };

  return (
    <form className="settings-form" onSubmit={submit} noValidate>
      <FormError message={errors.form ?? errors.fields.id} />
      <Field
        label="Name"
        value={values.name}
        maxLength={NAME_MAX + 20}
        autoComplete="off"
        required
        onChange={(event) => setValues({ ...values, name: event.target.value })}
        error={errors.fields.name}
      />
      <div className="colour-row">
        <Field
          label="Colour"
          hint="White text must be readable on it: # and six hex digits, e.g. #2c5282."
          value={values.colour}
          maxLength={7}
          autoComplete="off"
          spellCheck={false}
          onChange={(event) => setValues({ ...values, colour: event.target.value })}
          error={liveProblem ?? errors.fields.colour}
        />
        <div className="field colour-picker">
          <label htmlFor={pickerId}>Pick a colour</label>
          <input
            id={pickerId}
            type="color"
            value={isHexColour(colour) ? colour : DEFAULT_COLOUR}
            onChange={(event) => setValues({ ...values, colour: event.target.value })}
          />
        </div>
      </div>
      <div className="chip-preview">
        <span>Preview:</span>
        {readable ? (
          <CategoryChip name={chipName} colour={colour} />
        ) : (
          // Unreadable text is not drawn: a swatch of the colour stands in for the chip.
          <>
            <span className="colour-swatch" style={{ backgroundColor: swatch }} />
            <span>White text would be hard to read on this colour.</span>
          </>
        )}
      </div>
      {suggestion && (
        <div className="chip-preview">
          <button
            type="button"
            className="settings-button"
            onClick={() => setValues({ ...values, colour: suggestion })}
          >
            Use {suggestion} instead
          </button>
          <CategoryChip name={chipName} colour={suggestion} />
        </div>
      )}
      <div className="settings-check">
        <input
          id={dslId}
          type="checkbox"
          checked={values.dslTeamOnly}
          onChange={(event) => setValues({ ...values, dslTeamOnly: event.target.checked })}
        />
        <label htmlFor={dslId}>
          DSL team only (only the DSL team's access level sees these records)
        </label>
      </div>
      <div className="settings-form-buttons">
        <button type="submit" className="primary-button" disabled={busy}>
          {submitLabel}
        </button>
        {onCancel && (
          <button type="button" className="settings-button" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}

function SubcategoryItem({
  category,
  subcategory,
  index,
  change,
  onMove,
}: {
  category: Category;
  subcategory: Subcategory;
  index: number;
  change: Change;
  onMove: (direction: -1 | 1) => void;
}) {
  const [editing, setEditing] = useState(false);
  const [problem, setProblem] = useState<string>();
  const name = subcategory.name;
  const act = async (run: () => Promise<Errors>): Promise<void> => {
    const answer = await run();
    setProblem(answer.form ?? Object.values(answer.fields)[0]);
  };
  return (
    <li className={subcategory.isActive ? "settings-item" : "settings-item settings-inactive"}>
      {editing ? (
        <NameForm
          label={`Rename subcategory ${name}`}
          initial={name}
          submitLabel="Save"
          maxLength={NAME_MAX}
          onCancel={() => setEditing(false)}
          onSubmit={async (newName) => {
            const answer = await change(
              UpdateSubcategoryMutation,
              { id: subcategory.id, name: newName },
              (d) => d.updateSubcategory,
            );
            if (!answer.form && Object.keys(answer.fields).length === 0) setEditing(false);
            return answer;
          }}
        />
      ) : (
        <div className="settings-row">
          <span className="settings-name">{name}</span>
          <Tags active={subcategory.isActive} inUse={subcategory.inUse} />
          <span className="settings-actions">
            <button
              type="button"
              className="settings-button"
              aria-label={`Rename ${name}`}
              onClick={() => setEditing(true)}
            >
              Rename
            </button>
            <MoveButtons
              name={name}
              index={index}
              count={category.subcategories.length}
              onMove={onMove}
            />
            <button
              type="button"
              className="settings-button"
              aria-label={`${subcategory.isActive ? "Deactivate" : "Reactivate"} ${name}`}
              onClick={() =>
                act(() =>
                  change(
                    SetSubcategoryActiveMutation,
                    { id: subcategory.id, active: !subcategory.isActive },
                    (d) => d.setSubcategoryActive,
                  ),
                )
              }
            >
              {subcategory.isActive ? "Deactivate" : "Reactivate"}
            </button>
            {!subcategory.inUse && (
              <DeleteButton
                name={name}
                onDelete={() =>
                  act(() =>
                    change(
                      DeleteSubcategoryMutation,
                      { id: subcategory.id },
                      (d) => d.deleteSubcategory,
                    ),
                  )
                }
              />
            )}
          </span>
        </div>
      )}
      <FormError message={problem} />
    </li>
  );
}

function CategoryItem({
  category,
  index,
  count,
  change,
  onMove,
  focusLater,
}: {
  category: Category;
  index: number;
  count: number;
  change: Change;
  onMove: (direction: -1 | 1) => void;
  focusLater: (label: string) => void;
}) {
  const [editing, setEditing] = useState(false);
  const [problem, setProblem] = useState<string>();
  const headingId = useId();
  const name = category.name;
  const act = async (run: () => Promise<Errors>): Promise<void> => {
    const answer = await run();
    setProblem(answer.form ?? Object.values(answer.fields)[0]);
  };
  const moveSubcategory = (at: number, direction: -1 | 1): void => {
    const ids = moved(
      category.subcategories.map((s) => s.id),
      at,
      direction,
    );
    const label = `Move ${category.subcategories[at]?.name ?? ""} ${direction < 0 ? "up" : "down"}`;
    focusLater(label);
    void act(() =>
      change(
        ReorderSubcategoriesMutation,
        { categoryId: category.id, ids },
        (d) => d.reorderSubcategories,
      ),
    );
  };

  return (
    <li
      className={category.isActive ? "settings-card" : "settings-card settings-inactive"}
      aria-labelledby={headingId}
    >
      <div className="settings-row">
        <h3 id={headingId} className="settings-card-heading">
          <CategoryChip name={name} colour={category.colour} />
        </h3>
        <Tags
          active={category.isActive}
          inUse={category.inUse}
          {...(category.dslTeamOnly ? { extra: "DSL team only" } : {})}
        />
      </div>
      {editing ? (
        <CategoryForm
          initial={{ name, colour: category.colour, dslTeamOnly: category.dslTeamOnly }}
          submitLabel="Save"
          onCancel={() => setEditing(false)}
          onSubmit={async (values) => {
            const answer = await change(
              UpdateCategoryMutation,
              { id: category.id, input: values },
              (d) => d.updateCategory,
            );
            if (!answer.form && Object.keys(answer.fields).length === 0) setEditing(false);
            return answer;
          }}
        />
      ) : (
        <div className="settings-actions">
          <button
            type="button"
            className="settings-button"
            aria-label={`Edit ${name}`}
            onClick={() => setEditing(true)}
          >
            Edit
          </button>
          <MoveButtons name={name} index={index} count={count} onMove={onMove} />
          <button
            type="button"
            className="settings-button"
            aria-label={`${category.isActive ? "Deactivate" : "Reactivate"} ${name}`}
            onClick={() =>
              act(() =>
                change(
                  SetCategoryActiveMutation,
                  { id: category.id, active: !category.isActive },
                  (d) => d.setCategoryActive,
                ),
              )
            }
          >
            {category.isActive ? "Deactivate" : "Reactivate"}
          </button>
          {category.inUse ? (
            <span className="settings-note">In use: it can be deactivated, not deleted.</span>
          ) : (
            <DeleteButton
              name={name}
              onDelete={() =>
                act(() =>
                  change(DeleteCategoryMutation, { id: category.id }, (d) => d.deleteCategory),
                )
              }
            />
          )}
        </div>
      )}
      <FormError message={problem} />
      <div className="settings-sub">
        <h4 className="settings-sub-heading">Subcategories</h4>
        {category.subcategories.length === 0 ? (
          <p className="settings-note">No subcategories.</p>
        ) : (
          <ul className="settings-list">
            {category.subcategories.map((subcategory, at) => (
              <SubcategoryItem
                key={subcategory.id}
                category={category}
                subcategory={subcategory}
                index={at}
                change={change}
                onMove={(direction) => moveSubcategory(at, direction)}
              />
            ))}
          </ul>
        )}
        <NameForm
          label={`New subcategory of ${name}`}
          submitLabel="Add subcategory"
          maxLength={NAME_MAX}
          inline
          onSubmit={(newName) =>
            change(
              CreateSubcategoryMutation,
              { categoryId: category.id, name: newName },
              (d) => d.createSubcategory,
            )
          }
        />
      </div>
    </li>
  );
}

export function CategoriesSettings() {
  const [{ data, fetching, error }, reexecute] = useQuery({
    query: SettingsCategoriesQuery,
    requestPolicy: "cache-and-network",
  });
  const reload = useCallback(() => reexecute({ requestPolicy: "network-only" }), [reexecute]);
  const change = useChange(reload);
  const focusLater = useFocusAfterReload(data);
  const [orderProblem, setOrderProblem] = useState<string>();
  const categories = data?.settingsCategories;

  const move = async (at: number, direction: -1 | 1): Promise<void> => {
    if (!categories) return;
    const name = categories[at]?.name ?? "";
    focusLater(`Move ${name} ${direction < 0 ? "up" : "down"}`);
    const ids = moved(
      categories.map((c) => c.id),
      at,
      direction,
    );
    const answer = await change(ReorderCategoriesMutation, { ids }, (d) => d.reorderCategories);
    setOrderProblem(answer.form ?? Object.values(answer.fields)[0]);
    if (answer.form || Object.keys(answer.fields).length > 0) reload();
  };

  return (
    <Page title="Category settings" heading="Categories">
      <p className="settings-intro">
        Staff file incidents under these categories and subcategories, in this order. A
        category or subcategory that records use can be deactivated but not deleted: it is no
        longer offered on Add Incident, and the records keep showing it.
      </p>
      <section aria-labelledby="add-category-heading" className="settings-section">
        <h2 id="add-category-heading">Add a category</h2>
        <CategoryForm
          initial={{ name: "", colour: DEFAULT_COLOUR, dslTeamOnly: false }}
          submitLabel="Add category"
          onSubmit={(values) =>
            change(CreateCategoryMutation, { input: values }, (d) => d.createCategory)
          }
        />
      </section>
      <section aria-labelledby="category-list-heading" className="settings-section">
        <h2 id="category-list-heading">Categories</h2>
        <FormError message={orderProblem} />
        {fetching && !data ? (
          <p className="loading" role="status">
            Loading…
          </p>
        ) : categories ? (
          <ol className="settings-list">
            {categories.map((category, at) => (
              <CategoryItem
                key={category.id}
                category={category}
                index={at}
                count={categories.length}
                change={change}
                onMove={(direction) => void move(at, direction)}
                focusLater={focusLater}
              />
            ))}
          </ol>
        ) : (
          <ListProblem offline={Boolean(error)} retry={reload} />
        )}
      </section>
    </Page>
  );
}
