/**
 * A call on an object the file does not declare (`ftpServer.begin()`, `server->on(...)` in a class's source
 * file, the member declared in its header) is judged by the file that declares it: that file provides the names
 * of its objects of the kind as a project fact, and the call's finding stands only when some file of the project
 * provides the receiver's name.
 */
import type { ProjectCondition, RuleContext } from '../../server/src/core/types';

/** A kind of object: the project fact that carries their names, and what their declared type must be. */
export interface DeclaredObjects {
  fact: string;
  /** Words every such type contains: a cheap text test before the file's variable table is asked for. */
  typeWords: readonly string[];
  isType(type: string): boolean;
}

/** Provides the names of the objects of the kind that this file declares (globals, members, externs). */
export function provideDeclaredObjects(ctx: RuleContext, objects: DeclaredObjects): void {
  if (!objects.typeWords.some((word) => ctx.text.content.includes(word))) return;
  const names = ctx.model.variables.filter((v) => v.type && objects.isType(v.type)).map((v) => v.name);
  if (names.length) ctx.provide(objects.fact, names);
}

/** The condition on a finding about `receiver`, which this file does not declare: another file declares it as one. */
export function declaredElsewhere(objects: DeclaredObjects, receiver: string): ProjectCondition {
  return { fact: objects.fact, anyOf: [receiver] };
}
