// Owns the one GraphQL type per class of the class model: abstract classes as interfaces, concrete classes as
// object types, each with its attributes as fields.
import type { AttributeDef, ClassModel } from '../../domain/class-model/types';
import type { CiRow } from '../../neo4j/repositories/rows';
import type { Builder, BuilderTypes } from '../builder';
import type { Common } from '../common';
import type { CiRef } from './refs';

export function addClassTypes(builder: Builder, model: ClassModel, common: Common, CI: CiRef): void {
  const { NodeInterface } = common;
  // Abstract classes become interfaces, so `... on Hardware { serialNumber }` or `... on Service` select a
  // whole family. Concrete classes with children (Server, Application) stay object types: select their
  // children by name, or filter with `classes: ["Server"]`, which does match every server.
  const interfaceRefs = new Map<string, ReturnType<typeof builder.interfaceRef<CiRow>>>();
  const classes = [...model.classes.values()];
  const attrField = (t: PothosSchemaTypes.FieldBuilder<PothosSchemaTypes.ExtendDefaultTypes<BuilderTypes>, CiRow, 'Object' | 'Interface'>, a: AttributeDef) => {
    const opts = { nullable: true as const, description: a.description, resolve: (r: CiRow) => (r.attributes[a.name] ?? null) as never };
    switch (a.type) {
      case 'int':
        return t.int(opts);
      case 'float':
        return t.float(opts);
      case 'boolean':
        return t.boolean(opts);
      case 'stringList':
        return t.stringList(opts);
      default:
        return t.string(opts);
    }
  };
  const ancestorInterfaces = (name: string) =>
    model
      .ancestors(name)
      .filter((a) => a !== model.root && model.get(a)?.abstract)
      .map((a) => interfaceRefs.get(a)!)
      .filter(Boolean);
  for (const c of classes) {
    if (c.name === model.root || !c.abstract) continue;
    interfaceRefs.set(c.name, builder.interfaceRef<CiRow>(c.name));
  }
  for (const c of classes) {
    if (c.name === model.root) continue;
    const own = model.classAttributesOf(c.name).filter((a) => a.declaredBy === c.name);
    const inherited = model.classAttributesOf(c.name);
    if (c.abstract) {
      interfaceRefs.get(c.name)!.implement({
        description: c.description,
        interfaces: [NodeInterface, CI, ...ancestorInterfaces(c.name)],
        fields: (t) => Object.fromEntries(own.map((a) => [a.name, attrField(t, a)])),
      });
    } else {
      // Concrete classes repeat what a concrete parent declared (GraphQL objects cannot inherit from objects).
      const fromInterfaces = new Set(
        model.ancestors(c.name).filter((a) => model.get(a)?.abstract).flatMap((a) => model.classAttributesOf(a).filter((x) => x.declaredBy === a).map((x) => x.name)),
      );
      builder.objectRef<CiRow>(c.name).implement({
        description: c.description,
        interfaces: [NodeInterface, CI, ...ancestorInterfaces(c.name)],
        isTypeOf: (r) => (r as CiRow).className === c.name,
        fields: (t) => Object.fromEntries(inherited.filter((a) => !fromInterfaces.has(a.name)).map((a) => [a.name, attrField(t, a)])),
      });
    }
  }
}
