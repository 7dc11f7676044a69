import { graphql } from "../../gql";

export const StudentSearchQuery = graphql(`
  query StudentTypeahead($search: String!) {
    students(search: $search, first: 10) {
      edges {
        node {
          id
          displayName
          firstName
          lastName
          tutorGroup
        }
      }
    }
  }
`);

export const ColleagueSearchQuery = graphql(`
  query ColleagueSearch($search: String!, $studentId: ID, $categoryIds: [ID!]) {
    staff(search: $search, studentId: $studentId, categoryIds: $categoryIds, first: 10) {
      edges {
        node {
          id
          fullName
          jobTitle
          wouldNotNormallyView
        }
      }
    }
  }
`);

export const AlertGroupsQuery = graphql(`
  query AlertGroups {
    alertGroups {
      id
      name
    }
  }
`);

export const AgenciesQuery = graphql(`
  query Agencies {
    agencies {
      id
      name
    }
  }
`);

export const CategoriesQuery = graphql(`
  query Categories {
    categories {
      id
      name
      colour
      subcategories {
        id
        name
      }
    }
  }
`);

export const UploadAttachmentMutation = graphql(`
  mutation UploadAttachment($file: Upload!) {
    uploadAttachment(file: $file) {
      attachment {
        id
        name
        size
      }
      errors {
        ...ErrorFields
      }
    }
  }
`);
