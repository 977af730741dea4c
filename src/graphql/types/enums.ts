import { registerEnumType } from "type-graphql";
import { CertificateType, CredentialEventType, CredentialStatus, DeliveryChannel, DeliveryStatus } from "../../domain/kernel/models.js";

export { CertificateType, CredentialEventType, CredentialStatus, DeliveryChannel, DeliveryStatus };

registerEnumType(CertificateType, { name: "CertificateType", description: "The mode of a course certificate." });
registerEnumType(CredentialStatus, { name: "CredentialStatus" });
registerEnumType(CredentialEventType, { name: "CredentialEventType", description: "What happened to a credential." });
registerEnumType(DeliveryChannel, { name: "DeliveryChannel", description: "How a credential event leaves the service: an award email or a webhook call." });
registerEnumType(DeliveryStatus, {
  name: "DeliveryStatus",
  description: "Where a delivery stands: pending (waiting for its next attempt), delivered, failed (given up), skipped (nothing to send).",
});
