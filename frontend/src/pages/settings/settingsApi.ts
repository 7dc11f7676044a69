/**
 * The settings screens' GraphQL documents (school admins only; see graphql_api/categories.py,
 * agencies.py, alert_groups.py). Every mutation answers with `errors` to show next to fields.
 */
import { graphql } from "../../gql";


export const SettingsCategoriesQuery = graphql(`
  query SettingsCategories {
    settingsCategories {
      id
      name
      colour
      order
      isActive
      dslTeamOnly
      inUse
      subcategories {
        id
        name
        order
        isActive
        inUse
      }
    }
  }
`);

export const CreateCategoryMutation = graphql(`
  mutation CreateCategory($input: CreateCategoryInput!) {
    createCategory(input: $input) {
      category {
        id
      }
      errors {
        ...ErrorFields
      }
    }
  }
`);

export const UpdateCategoryMutation = graphql(`
  mutation UpdateCategory($id: ID!, $input: UpdateCategoryInput!) {
    updateCategory(id: $id, input: $input) {
      category {
        id
      }
      errors {
        ...ErrorFields
      }
    }
  }
`);

export const ReorderCategoriesMutation = graphql(`
  mutation ReorderCategories($ids: [ID!]!) {
    reorderCategories(ids: $ids) {
      categories {
        id
      }
      errors {
        ...ErrorFields
      }
    }
  }
`);

export const SetCategoryActiveMutation = graphql(`
  mutation SetCategoryActive($id: ID!, $active: Boolean!) {
    setCategoryActive(id: $id, active: $active) {
      category {
        id
      }
      errors {
        ...ErrorFields
      }
    }
  }
`);

export const DeleteCategoryMutation = graphql(`
  mutation DeleteCategory($id: ID!) {
    deleteCategory(id: $id) {
      deletedId
      errors {
        ...ErrorFields
      }
    }
  }
`);

export const CreateSubcategoryMutation = graphql(`
  mutation CreateSubcategory($categoryId: ID!, $name: String!) {
    createSubcategory(categoryId: $categoryId, name: $name) {
      subcategory {
        id
      }
      errors {
        ...ErrorFields
      }
    }
  }
`);

export const UpdateSubcategoryMutation = graphql(`
  mutation UpdateSubcategory($id: ID!, $name: String!) {
    updateSubcategory(id: $id, name: $name) {
      subcategory {
        id
      }
      errors {
        ...ErrorFields
      }
    }
  }
`);

export const ReorderSubcategoriesMutation = graphql(`
  mutation ReorderSubcategories($categoryId: ID!, $ids: [ID!]!) {
    reorderSubcategories(categoryId: $categoryId, ids: $ids) {
      category {
        id
      }
      errors {
        ...ErrorFields
      }
    }
  }
`);

export const SetSubcategoryActiveMutation = graphql(`
  mutation SetSubcategoryActive($id: ID!, $active: Boolean!) {
    setSubcategoryActive(id: $id, active: $active) {
      subcategory {
        id
      }
      errors {
        ...ErrorFields
      }
    }
  }
`);

export const DeleteSubcategoryMutation = graphql(`
  mutation DeleteSubcategory($id: ID!) {
    deleteSubcategory(id: $id) {
      deletedId
      errors {
        ...ErrorFields
      }
    }
  }
`);

export const SettingsAgenciesQuery = graphql(`
  query SettingsAgencies {
    settingsAgencies {
      id
      name
      isActive
      inUse
    }
  }
`);

export const CreateAgencyMutation = graphql(`
  mutation CreateAgency($name: String!) {
    createAgency(name: $name) {
      agency {
        id
      }
      errors {
        ...ErrorFields
      }
    }
  }
`);

export const UpdateAgencyMutation = graphql(`
  mutation UpdateAgency($id: ID!, $name: String!) {
    updateAgency(id: $id, name: $name) {
      agency {
        id
      }
      errors {
        ...ErrorFields
      }
    }
  }
`);

export const SetAgencyActiveMutation = graphql(`
  mutation SetAgencyActive($id: ID!, $active: Boolean!) {
    setAgencyActive(id: $id, active: $active) {
      agency {
        id
      }
      errors {
        ...ErrorFields
      }
    }
  }
`);

export const DeleteAgencyMutation = graphql(`
  mutation DeleteAgency($id: ID!) {
    deleteAgency(id: $id) {
      deletedId
      errors {
        ...ErrorFields
      }
    }
  }
`);

export const SettingsAlertGroupsQuery = graphql(`
  query SettingsAlertGroups {
    settingsAlertGroups {
      id
      name
      order
      isActive
      members {
        id
        fullName
        jobTitle
      }
    }
  }
`);

export const CreateAlertGroupMutation = graphql(`
  mutation CreateAlertGroup($name: String!) {
    createAlertGroup(name: $name) {
      alertGroup {
        id
      }
      errors {
        ...ErrorFields
      }
    }
  }
`);

export const UpdateAlertGroupMutation = graphql(`
  mutation UpdateAlertGroup($id: ID!, $name: String!) {
    updateAlertGroup(id: $id, name: $name) {
      alertGroup {
        id
      }
      errors {
        ...ErrorFields
      }
    }
  }
`);

export const ReorderAlertGroupsMutation = graphql(`
  mutation ReorderAlertGroups($ids: [ID!]!) {
    reorderAlertGroups(ids: $ids) {
      alertGroups {
        id
      }
      errors {
        ...ErrorFields
      }
    }
  }
`);

export const SetAlertGroupActiveMutation = graphql(`
  mutation SetAlertGroupActive($id: ID!, $active: Boolean!) {
    setAlertGroupActive(id: $id, active: $active) {
      alertGroup {
        id
      }
      errors {
        ...ErrorFields
      }
    }
  }
`);

export const AddAlertGroupMemberMutation = graphql(`
  mutation AddAlertGroupMember($alertGroupId: ID!, $staffId: ID!) {
    addAlertGroupMember(alertGroupId: $alertGroupId, staffId: $staffId) {
      alertGroup {
        id
      }
      errors {
        ...ErrorFields
      }
    }
  }
`);

export const RemoveAlertGroupMemberMutation = graphql(`
  mutation RemoveAlertGroupMember($alertGroupId: ID!, $staffId: ID!) {
    removeAlertGroupMember(alertGroupId: $alertGroupId, staffId: $staffId) {
      alertGroup {
        id
      }
      errors {
        ...ErrorFields
      }
    }
  }
`);

export const StaffSearchQuery = graphql(`
  query SettingsStaffSearch($search: String!) {
    staff(search: $search, first: 10) {
      edges {
        node {
          id
          fullName
          jobTitle
        }
      }
    }
  }
`);
