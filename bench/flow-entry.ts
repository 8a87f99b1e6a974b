// What bench/flow-scaling.mjs drives: parsing and modelling, then the data-flow layer on its own.
export { parseFile } from '../server/src/core/check';
export { buildValueFlow } from '../server/src/core/flow/value-flow';
