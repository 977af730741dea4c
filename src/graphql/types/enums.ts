import { registerEnumType } from "type-graphql";
import { CertificateType, CredentialEventType, CredentialStatus } from "../../domain/kernel/models.js";

export { CertificateType, CredentialEventType, CredentialStatus };

registerEnumType(CertificateType, { name: "CertificateType", description: "The mode of a course certificate." });
registerEnumType(CredentialStatus, { name: "CredentialStatus" });
registerEnumType(CredentialEventType, { name: "CredentialEventType", description: "What happened to a credential." });
