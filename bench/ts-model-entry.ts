// What bench/ts-model-check.mjs drives: both builders of the TypeScript / JavaScript model and the comparison.
export { buildTsModel } from '../server/src/core/model/ts-model';
export { buildEstreeModel } from '../server/src/core/model/estree-model';
export { parseTypeScript } from '../server/src/core/parse/typescript';
export { parseEstree } from '../server/src/core/parse/estree';
export { modelData, firstDifference } from '../test/helpers/model-compare';
