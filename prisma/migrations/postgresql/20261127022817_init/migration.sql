-- CreateEnum
CREATE TYPE "CertificateType" AS ENUM ('honor', 'verified', 'professional');

-- CreateEnum
CREATE TYPE "CredentialStatus" AS ENUM ('awarded', 'revoked');

-- CreateEnum
CREATE TYPE "CredentialEventType" AS ENUM ('awarded', 'reawarded', 'attributes_changed', 'revoked');

-- CreateEnum
CREATE TYPE "MigrationStatus" AS ENUM ('pending', 'in_progress', 'completed', 'failed');

-- CreateTable
CREATE TABLE "Site" (
    "id" SERIAL NOT NULL,
    "domain" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Site_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SiteConfiguration" (
    "id" SERIAL NOT NULL,
    "siteId" INTEGER NOT NULL,
    "platformName" TEXT NOT NULL DEFAULT '',
    "lmsUrl" TEXT NOT NULL DEFAULT '',
    "logoUrl" TEXT NOT NULL DEFAULT '',
    "copyrightText" TEXT NOT NULL DEFAULT '',
    "primaryColor" TEXT NOT NULL DEFAULT '#1f3a5f',
    "secondaryColor" TEXT NOT NULL DEFAULT '#b08d57',
    "language" TEXT NOT NULL DEFAULT 'en',
    "emailFrom" TEXT NOT NULL DEFAULT '',
    "twitterHandle" TEXT NOT NULL DEFAULT '',
    "facebookAppId" TEXT NOT NULL DEFAULT '',
    "shareOnLinkedin" BOOLEAN NOT NULL DEFAULT true,
    "shareOnFacebook" BOOLEAN NOT NULL DEFAULT true,
    "shareOnTwitter" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SiteConfiguration_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Organization" (
    "id" SERIAL NOT NULL,
    "siteId" INTEGER NOT NULL,
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "logoUrl" TEXT NOT NULL DEFAULT '',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Organization_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Course" (
    "id" SERIAL NOT NULL,
    "siteId" INTEGER NOT NULL,
    "courseId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "organizationId" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Course_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Program" (
    "id" SERIAL NOT NULL,
    "siteId" INTEGER NOT NULL,
    "programId" INTEGER NOT NULL,
    "uuid" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "programType" TEXT NOT NULL DEFAULT 'XSeries',
    "organizationId" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Program_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProgramCourse" (
    "programId" INTEGER NOT NULL,
    "courseId" INTEGER NOT NULL,
    "position" INTEGER NOT NULL,

    CONSTRAINT "ProgramCourse_pkey" PRIMARY KEY ("programId","courseId")
);

-- CreateTable
CREATE TABLE "User" (
    "id" SERIAL NOT NULL,
    "siteId" INTEGER NOT NULL,
    "username" TEXT NOT NULL,
    "fullName" TEXT NOT NULL DEFAULT '',
    "email" TEXT NOT NULL DEFAULT '',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CertificateTemplate" (
    "id" SERIAL NOT NULL,
    "siteId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "content" TEXT NOT NULL,
    "organizationId" INTEGER,
    "certificateType" "CertificateType",
    "courseId" TEXT,
    "language" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CertificateTemplate_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CertificateTemplateAsset" (
    "id" SERIAL NOT NULL,
    "siteId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "contentType" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "data" BYTEA NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CertificateTemplateAsset_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Signatory" (
    "id" SERIAL NOT NULL,
    "siteId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "organizationNameOverride" TEXT,
    "imageAssetId" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Signatory_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CourseCertificate" (
    "id" SERIAL NOT NULL,
    "siteId" INTEGER NOT NULL,
    "courseId" TEXT NOT NULL,
    "certificateType" "CertificateType" NOT NULL,
    "templateId" INTEGER,
    "title" TEXT,
    "isActive" BOOLEAN NOT NULL DEFAULT true,
    "selfPaced" BOOLEAN NOT NULL DEFAULT false,
    "certificateAvailableDate" TIMESTAMP(3),
    "language" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CourseCertificate_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CourseCertificateSignatory" (
    "courseCertificateId" INTEGER NOT NULL,
    "signatoryId" INTEGER NOT NULL,
    "position" INTEGER NOT NULL,

    CONSTRAINT "CourseCertificateSignatory_pkey" PRIMARY KEY ("courseCertificateId","signatoryId")
);

-- CreateTable
CREATE TABLE "ProgramCertificate" (
    "id" SERIAL NOT NULL,
    "siteId" INTEGER NOT NULL,
    "programId" INTEGER NOT NULL,
    "programUuid" TEXT NOT NULL,
    "templateId" INTEGER,
    "title" TEXT,
    "isActive" BOOLEAN NOT NULL DEFAULT true,
    "language" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ProgramCertificate_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProgramCertificateSignatory" (
    "programCertificateId" INTEGER NOT NULL,
    "signatoryId" INTEGER NOT NULL,
    "position" INTEGER NOT NULL,

    CONSTRAINT "ProgramCertificateSignatory_pkey" PRIMARY KEY ("programCertificateId","signatoryId")
);

-- CreateTable
CREATE TABLE "UserCredential" (
    "id" SERIAL NOT NULL,
    "uuid" TEXT NOT NULL,
    "siteId" INTEGER NOT NULL,
    "credentialType" TEXT NOT NULL,
    "configurationId" INTEGER NOT NULL,
    "username" TEXT NOT NULL,
    "status" "CredentialStatus" NOT NULL DEFAULT 'awarded',
    "downloadUrl" TEXT NOT NULL DEFAULT '',
    "revokedAt" TIMESTAMP(3),
    "revocationReason" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "UserCredential_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "UserCredentialAttribute" (
    "id" SERIAL NOT NULL,
    "siteId" INTEGER NOT NULL,
    "credentialId" INTEGER NOT NULL,
    "namespace" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "UserCredentialAttribute_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CredentialEvent" (
    "id" SERIAL NOT NULL,
    "siteId" INTEGER NOT NULL,
    "credentialId" INTEGER NOT NULL,
    "type" "CredentialEventType" NOT NULL,
    "actor" TEXT NOT NULL,
    "reason" TEXT,
    "details" TEXT NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CredentialEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CredentialsMigration" (
    "id" SERIAL NOT NULL,
    "siteId" INTEGER NOT NULL,
    "courseId" TEXT NOT NULL,
    "status" "MigrationStatus" NOT NULL DEFAULT 'pending',
    "total" INTEGER NOT NULL DEFAULT 0,
    "succeeded" INTEGER NOT NULL DEFAULT 0,
    "failed" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CredentialsMigration_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Site_domain_key" ON "Site"("domain");

-- CreateIndex
CREATE UNIQUE INDEX "SiteConfiguration_siteId_key" ON "SiteConfiguration"("siteId");

-- CreateIndex
CREATE UNIQUE INDEX "Organization_siteId_key_key" ON "Organization"("siteId", "key");

-- CreateIndex
CREATE INDEX "Course_organizationId_idx" ON "Course"("organizationId");

-- CreateIndex
CREATE UNIQUE INDEX "Course_siteId_courseId_key" ON "Course"("siteId", "courseId");

-- CreateIndex
CREATE INDEX "Program_organizationId_idx" ON "Program"("organizationId");

-- CreateIndex
CREATE UNIQUE INDEX "Program_siteId_programId_key" ON "Program"("siteId", "programId");

-- CreateIndex
CREATE UNIQUE INDEX "Program_siteId_uuid_key" ON "Program"("siteId", "uuid");

-- CreateIndex
CREATE INDEX "ProgramCourse_courseId_idx" ON "ProgramCourse"("courseId");

-- CreateIndex
CREATE UNIQUE INDEX "User_siteId_username_key" ON "User"("siteId", "username");

-- CreateIndex
CREATE INDEX "CertificateTemplate_siteId_courseId_certificateType_idx" ON "CertificateTemplate"("siteId", "courseId", "certificateType");

-- CreateIndex
CREATE INDEX "CertificateTemplate_siteId_organizationId_certificateType_idx" ON "CertificateTemplate"("siteId", "organizationId", "certificateType");

-- CreateIndex
CREATE UNIQUE INDEX "CertificateTemplate_siteId_name_key" ON "CertificateTemplate"("siteId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "CertificateTemplateAsset_siteId_name_key" ON "CertificateTemplateAsset"("siteId", "name");

-- CreateIndex
CREATE INDEX "Signatory_siteId_idx" ON "Signatory"("siteId");

-- CreateIndex
CREATE INDEX "Signatory_imageAssetId_idx" ON "Signatory"("imageAssetId");

-- CreateIndex
CREATE INDEX "CourseCertificate_templateId_idx" ON "CourseCertificate"("templateId");

-- CreateIndex
CREATE UNIQUE INDEX "CourseCertificate_siteId_courseId_certificateType_key" ON "CourseCertificate"("siteId", "courseId", "certificateType");

-- CreateIndex
CREATE INDEX "CourseCertificateSignatory_signatoryId_idx" ON "CourseCertificateSignatory"("signatoryId");

-- CreateIndex
CREATE INDEX "ProgramCertificate_templateId_idx" ON "ProgramCertificate"("templateId");

-- CreateIndex
CREATE UNIQUE INDEX "ProgramCertificate_siteId_programId_key" ON "ProgramCertificate"("siteId", "programId");

-- CreateIndex
CREATE UNIQUE INDEX "ProgramCertificate_siteId_programUuid_key" ON "ProgramCertificate"("siteId", "programUuid");

-- CreateIndex
CREATE INDEX "ProgramCertificateSignatory_signatoryId_idx" ON "ProgramCertificateSignatory"("signatoryId");

-- CreateIndex
CREATE UNIQUE INDEX "UserCredential_uuid_key" ON "UserCredential"("uuid");

-- CreateIndex
CREATE INDEX "UserCredential_siteId_username_id_idx" ON "UserCredential"("siteId", "username", "id");

-- CreateIndex
CREATE INDEX "UserCredential_siteId_credentialType_configurationId_id_idx" ON "UserCredential"("siteId", "credentialType", "configurationId", "id");

-- CreateIndex
CREATE INDEX "UserCredential_siteId_status_id_idx" ON "UserCredential"("siteId", "status", "id");

-- CreateIndex
CREATE UNIQUE INDEX "UserCredential_credentialType_configurationId_username_key" ON "UserCredential"("credentialType", "configurationId", "username");

-- CreateIndex
CREATE INDEX "UserCredentialAttribute_siteId_idx" ON "UserCredentialAttribute"("siteId");

-- CreateIndex
CREATE UNIQUE INDEX "UserCredentialAttribute_credentialId_namespace_name_key" ON "UserCredentialAttribute"("credentialId", "namespace", "name");

-- CreateIndex
CREATE INDEX "CredentialEvent_credentialId_id_idx" ON "CredentialEvent"("credentialId", "id");

-- CreateIndex
CREATE INDEX "CredentialEvent_siteId_id_idx" ON "CredentialEvent"("siteId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "CredentialsMigration_siteId_courseId_key" ON "CredentialsMigration"("siteId", "courseId");

-- AddForeignKey
ALTER TABLE "SiteConfiguration" ADD CONSTRAINT "SiteConfiguration_siteId_fkey" FOREIGN KEY ("siteId") REFERENCES "Site"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Organization" ADD CONSTRAINT "Organization_siteId_fkey" FOREIGN KEY ("siteId") REFERENCES "Site"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Course" ADD CONSTRAINT "Course_siteId_fkey" FOREIGN KEY ("siteId") REFERENCES "Site"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Course" ADD CONSTRAINT "Course_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Program" ADD CONSTRAINT "Program_siteId_fkey" FOREIGN KEY ("siteId") REFERENCES "Site"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Program" ADD CONSTRAINT "Program_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProgramCourse" ADD CONSTRAINT "ProgramCourse_programId_fkey" FOREIGN KEY ("programId") REFERENCES "Program"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProgramCourse" ADD CONSTRAINT "ProgramCourse_courseId_fkey" FOREIGN KEY ("courseId") REFERENCES "Course"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "User" ADD CONSTRAINT "User_siteId_fkey" FOREIGN KEY ("siteId") REFERENCES "Site"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CertificateTemplate" ADD CONSTRAINT "CertificateTemplate_siteId_fkey" FOREIGN KEY ("siteId") REFERENCES "Site"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CertificateTemplate" ADD CONSTRAINT "CertificateTemplate_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CertificateTemplateAsset" ADD CONSTRAINT "CertificateTemplateAsset_siteId_fkey" FOREIGN KEY ("siteId") REFERENCES "Site"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Signatory" ADD CONSTRAINT "Signatory_siteId_fkey" FOREIGN KEY ("siteId") REFERENCES "Site"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Signatory" ADD CONSTRAINT "Signatory_imageAssetId_fkey" FOREIGN KEY ("imageAssetId") REFERENCES "CertificateTemplateAsset"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CourseCertificate" ADD CONSTRAINT "CourseCertificate_siteId_fkey" FOREIGN KEY ("siteId") REFERENCES "Site"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CourseCertificate" ADD CONSTRAINT "CourseCertificate_templateId_fkey" FOREIGN KEY ("templateId") REFERENCES "CertificateTemplate"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CourseCertificateSignatory" ADD CONSTRAINT "CourseCertificateSignatory_courseCertificateId_fkey" FOREIGN KEY ("courseCertificateId") REFERENCES "CourseCertificate"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CourseCertificateSignatory" ADD CONSTRAINT "CourseCertificateSignatory_signatoryId_fkey" FOREIGN KEY ("signatoryId") REFERENCES "Signatory"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProgramCertificate" ADD CONSTRAINT "ProgramCertificate_siteId_fkey" FOREIGN KEY ("siteId") REFERENCES "Site"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProgramCertificate" ADD CONSTRAINT "ProgramCertificate_templateId_fkey" FOREIGN KEY ("templateId") REFERENCES "CertificateTemplate"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProgramCertificateSignatory" ADD CONSTRAINT "ProgramCertificateSignatory_programCertificateId_fkey" FOREIGN KEY ("programCertificateId") REFERENCES "ProgramCertificate"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProgramCertificateSignatory" ADD CONSTRAINT "ProgramCertificateSignatory_signatoryId_fkey" FOREIGN KEY ("signatoryId") REFERENCES "Signatory"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UserCredential" ADD CONSTRAINT "UserCredential_siteId_fkey" FOREIGN KEY ("siteId") REFERENCES "Site"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UserCredentialAttribute" ADD CONSTRAINT "UserCredentialAttribute_siteId_fkey" FOREIGN KEY ("siteId") REFERENCES "Site"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UserCredentialAttribute" ADD CONSTRAINT "UserCredentialAttribute_credentialId_fkey" FOREIGN KEY ("credentialId") REFERENCES "UserCredential"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CredentialEvent" ADD CONSTRAINT "CredentialEvent_siteId_fkey" FOREIGN KEY ("siteId") REFERENCES "Site"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CredentialEvent" ADD CONSTRAINT "CredentialEvent_credentialId_fkey" FOREIGN KEY ("credentialId") REFERENCES "UserCredential"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CredentialsMigration" ADD CONSTRAINT "CredentialsMigration_siteId_fkey" FOREIGN KEY ("siteId") REFERENCES "Site"("id") ON DELETE CASCADE ON UPDATE CASCADE;

