// The stored names of the built-in credential types (UserCredential.credentialType). A leaf module:
// the configuration modules count a type's credentials by it without importing its issuer.
export const COURSE_CERTIFICATE = "course-certificate";
export const PROGRAM_CERTIFICATE = "program-certificate";
