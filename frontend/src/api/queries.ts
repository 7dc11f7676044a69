import { graphql } from "../gql";

export const CurrentUserQuery = graphql(`
  query CurrentUser {
    me {
      email
      firstName
      lastName
      fullName
      jobTitle
      isKeyHolder
      isSchoolAdmin
      secondFactorPassed
      hasKeyAccess
    }
    school {
      name
    }
  }
`);
