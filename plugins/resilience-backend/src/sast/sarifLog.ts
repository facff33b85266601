/**
 * The part of SARIF 2.1.0 the normaliser reads: only the properties it uses, every one optional
 * unless the schema requires it. A document that passed `validateSarif` has at least this shape.
 */

/** Key/value pairs a tool adds to an object (`properties`). */
export type SarifPropertyBag = Record<string, unknown>;

/** A message: plain text, or the id of one of the rule's `messageStrings`, with arguments. */
export interface SarifMessage {
  text?: string;
  id?: string;
  arguments?: string[];
}

/** A file: a URI, possibly relative to a base (`uriBaseId`), or an index into `run.artifacts`. */
export interface SarifArtifactLocation {
  uri?: string;
  uriBaseId?: string;
  index?: number;
}

/** Lines and columns are 1-based. */
export interface SarifRegion {
  startLine?: number;
  startColumn?: number;
  endLine?: number;
  endColumn?: number;
  snippet?: { text?: string };
}

export interface SarifLocation {
  physicalLocation?: {
    artifactLocation?: SarifArtifactLocation;
    region?: SarifRegion;
  };
  /** What is at the location; container scanners name the affected package here. */
  message?: SarifMessage;
}

export interface SarifReportingDescriptor {
  id: string;
  name?: string;
  shortDescription?: { text?: string };
  messageStrings?: Record<string, { text?: string }>;
  defaultConfiguration?: {
    enabled?: boolean;
    level?: SarifLevel;
  };
  properties?: SarifPropertyBag;
}

export interface SarifToolComponent {
  name: string;
  version?: string;
  semanticVersion?: string;
  rules?: SarifReportingDescriptor[];
}

export type SarifLevel = 'none' | 'note' | 'warning' | 'error';

export interface SarifSuppression {
  kind?: string;
  status?: 'accepted' | 'underReview' | 'rejected';
}

export interface SarifResult {
  ruleId?: string;
  ruleIndex?: number;
  /** Where the rule is when it is not in the driver: `toolComponent.index` into `extensions`. */
  rule?: {
    id?: string;
    index?: number;
    toolComponent?: { name?: string; index?: number };
  };
  kind?:
    | 'notApplicable'
    | 'pass'
    | 'fail'
    | 'review'
    | 'open'
    | 'informational';
  level?: SarifLevel;
  message: SarifMessage;
  locations?: SarifLocation[];
  partialFingerprints?: Record<string, string>;
  fingerprints?: Record<string, string>;
  suppressions?: SarifSuppression[];
  properties?: SarifPropertyBag;
}

export interface SarifRun {
  tool: {
    driver: SarifToolComponent;
    extensions?: SarifToolComponent[];
  };
  automationDetails?: { id?: string };
  versionControlProvenance?: Array<{
    repositoryUri: string;
    revisionId?: string;
    branch?: string;
  }>;
  invocations?: Array<{ executionSuccessful: boolean; startTimeUtc?: string }>;
  /** Base URIs by name (`SRCROOT`, `%SRCROOT%`, ...); a base may itself be relative to another. */
  originalUriBaseIds?: Record<string, SarifArtifactLocation>;
  artifacts?: Array<{ location?: SarifArtifactLocation }>;
  results?: SarifResult[];
}

/** A SARIF 2.1.0 log, as far as the normaliser reads it. */
export interface SarifLog {
  version: '2.1.0';
  runs: SarifRun[] | null;
}
