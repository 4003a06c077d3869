/** The MCP specification as data and code: versions, schemas, validators, methods, requirements. */
export {
  PROTOCOL_VERSIONS,
  LATEST_PROTOCOL_VERSION,
  LATEST_HANDSHAKE_VERSION,
  isProtocolVersion,
  era,
  schemaDialect,
  definitionsKey,
  type ProtocolVersion,
  type Era,
  type SchemaDialect,
  type DefinitionsKey,
} from './versions.js';
export { packageRoot, dataPath } from './paths.js';
export {
  schemaFile,
  schemaDocument,
  schemaDefinitions,
  definitionNames,
  getDefinition,
  refName,
  type SchemaNode,
  type McpSchemaDocument,
} from './schemas.js';
export {
  validate,
  hasDefinition,
  validatorFor,
  ajvFor,
  type ValidationResult,
  type ValidationIssue,
  type McpAjv,
} from './validate.js';
export {
  methodTable,
  methodInfo,
  type MethodInfo,
  type MethodKind,
  type MethodDirection,
  type CapabilitySide,
} from './methods.js';
export {
  REQUIREMENT_LEVELS,
  REQUIREMENT_BINDS,
  TESTABILITY,
  CATALOG_VERSIONS,
  catalogFile,
  requirementCatalog,
  catalogVersionFor,
  requirements,
  requirement,
  isServerObservableHard,
  sameAsReference,
  type Requirement,
  type RequirementLevel,
  type RequirementBinds,
  type Testability,
  type CatalogVersion,
  type CatalogSource,
  type RequirementCatalog,
} from './catalog.js';
export { parseSameAs, type SameAsReference, type SameAsRelation } from './same-as.js';
