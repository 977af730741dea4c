-- CreateTable
CREATE TABLE "Site" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "domain" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "SiteConfiguration" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
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
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "SiteConfiguration_siteId_fkey" FOREIGN KEY ("siteId") REFERENCES "Site" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Organization" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "siteId" INTEGER NOT NULL,
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "logoUrl" TEXT NOT NULL DEFAULT '',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Organization_siteId_fkey" FOREIGN KEY ("siteId") REFERENCES "Site" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Course" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "siteId" INTEGER NOT NULL,
    "courseId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "organizationId" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Course_siteId_fkey" FOREIGN KEY ("siteId") REFERENCES "Site" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Course_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Program" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "siteId" INTEGER NOT NULL,
    "programId" INTEGER NOT NULL,
    "uuid" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "programType" TEXT NOT NULL DEFAULT 'XSeries',
    "organizationId" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Program_siteId_fkey" FOREIGN KEY ("siteId") REFERENCES "Site" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Program_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ProgramCourse" (
    "programId" INTEGER NOT NULL,
    "courseId" INTEGER NOT NULL,
    "position" INTEGER NOT NULL,

    PRIMARY KEY ("programId", "courseId"),
    CONSTRAINT "ProgramCourse_programId_fkey" FOREIGN KEY ("programId") REFERENCES "Program" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ProgramCourse_courseId_fkey" FOREIGN KEY ("courseId") REFERENCES "Course" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "User" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "siteId" INTEGER NOT NULL,
    "username" TEXT NOT NULL,
    "fullName" TEXT NOT NULL DEFAULT '',
    "email" TEXT NOT NULL DEFAULT '',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "User_siteId_fkey" FOREIGN KEY ("siteId") REFERENCES "Site" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "CertificateTemplate" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "siteId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "content" TEXT NOT NULL,
    "organizationId" INTEGER,
    "certificateType" TEXT,
    "courseId" TEXT,
    "language" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "CertificateTemplate_siteId_fkey" FOREIGN KEY ("siteId") REFERENCES "Site" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "CertificateTemplate_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "CertificateTemplateAsset" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "siteId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "contentType" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "data" BLOB NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "CertificateTemplateAsset_siteId_fkey" FOREIGN KEY ("siteId") REFERENCES "Site" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Signatory" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "siteId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "organizationNameOverride" TEXT,
    "imageAssetId" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Signatory_siteId_fkey" FOREIGN KEY ("siteId") REFERENCES "Site" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Signatory_imageAssetId_fkey" FOREIGN KEY ("imageAssetId") REFERENCES "CertificateTemplateAsset" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "CourseCertificate" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "siteId" INTEGER NOT NULL,
    "courseId" TEXT NOT NULL,
    "certificateType" TEXT NOT NULL,
    "templateId" INTEGER,
    "title" TEXT,
    "isActive" BOOLEAN NOT NULL DEFAULT true,
    "selfPaced" BOOLEAN NOT NULL DEFAULT false,
    "certificateAvailableDate" DATETIME,
    "language" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "CourseCertificate_siteId_fkey" FOREIGN KEY ("siteId") REFERENCES "Site" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "CourseCertificate_templateId_fkey" FOREIGN KEY ("templateId") REFERENCES "CertificateTemplate" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "CourseCertificateSignatory" (
    "courseCertificateId" INTEGER NOT NULL,
    "signatoryId" INTEGER NOT NULL,
    "position" INTEGER NOT NULL,

    PRIMARY KEY ("courseCertificateId", "signatoryId"),
    CONSTRAINT "CourseCertificateSignatory_courseCertificateId_fkey" FOREIGN KEY ("courseCertificateId") REFERENCES "CourseCertificate" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "CourseCertificateSignatory_signatoryId_fkey" FOREIGN KEY ("signatoryId") REFERENCES "Signatory" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ProgramCertificate" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "siteId" INTEGER NOT NULL,
    "programId" INTEGER NOT NULL,
    "programUuid" TEXT NOT NULL,
    "templateId" INTEGER,
    "title" TEXT,
    "isActive" BOOLEAN NOT NULL DEFAULT true,
    "language" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "ProgramCertificate_siteId_fkey" FOREIGN KEY ("siteId") REFERENCES "Site" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ProgramCertificate_templateId_fkey" FOREIGN KEY ("templateId") REFERENCES "CertificateTemplate" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ProgramCertificateSignatory" (
    "programCertificateId" INTEGER NOT NULL,
    "signatoryId" INTEGER NOT NULL,
    "position" INTEGER NOT NULL,

    PRIMARY KEY ("programCertificateId", "signatoryId"),
    CONSTRAINT "ProgramCertificateSignatory_programCertificateId_fkey" FOREIGN KEY ("programCertificateId") REFERENCES "ProgramCertificate" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ProgramCertificateSignatory_signatoryId_fkey" FOREIGN KEY ("signatoryId") REFERENCES "Signatory" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "UserCredential" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "uuid" TEXT NOT NULL,
    "siteId" INTEGER NOT NULL,
    "credentialType" TEXT NOT NULL,
    "configurationId" INTEGER NOT NULL,
    "username" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'awarded',
    "downloadUrl" TEXT NOT NULL DEFAULT '',
    "revokedAt" DATETIME,
    "revocationReason" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "UserCredential_siteId_fkey" FOREIGN KEY ("siteId") REFERENCES "Site" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "UserCredentialAttribute" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "siteId" INTEGER NOT NULL,
    "credentialId" INTEGER NOT NULL,
    "namespace" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "UserCredentialAttribute_siteId_fkey" FOREIGN KEY ("siteId") REFERENCES "Site" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "UserCredentialAttribute_credentialId_fkey" FOREIGN KEY ("credentialId") REFERENCES "UserCredential" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "CredentialEvent" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "siteId" INTEGER NOT NULL,
    "credentialId" INTEGER NOT NULL,
    "type" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "reason" TEXT,
    "details" TEXT NOT NULL DEFAULT '{}',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "CredentialEvent_siteId_fkey" FOREIGN KEY ("siteId") REFERENCES "Site" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "CredentialEvent_credentialId_fkey" FOREIGN KEY ("credentialId") REFERENCES "UserCredential" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "CredentialsMigration" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "siteId" INTEGER NOT NULL,
    "courseId" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "total" INTEGER NOT NULL DEFAULT 0,
    "succeeded" INTEGER NOT NULL DEFAULT 0,
    "failed" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "CredentialsMigration_siteId_fkey" FOREIGN KEY ("siteId") REFERENCES "Site" ("id") ON DELETE CASCADE ON UPDATE CASCADE
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

