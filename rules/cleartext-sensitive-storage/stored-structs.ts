/**
 * A C struct that holds a credential, written whole into storage: `EEPROM.put(0, settings)` with
 * `struct Settings { char nightscout_url[100]; char api_secret[100]; } settings;`, `nvs_set_blob(h, "cfg", &cfg,
 * sizeof cfg)`, `prefs.putBytes("cfg", &cfg, sizeof(cfg))`, `fwrite(&cfg, sizeof cfg, 1, f)`. The bytes stored are
 * every field, the secret's text among them.
 *
 * The evidence is the struct's declaration in this file (by its tag or its typedef name) with a credential field
 * (credential-fields.ts: a character array named for a credential, never a pointer, whose stored bytes are an address).
 */
import type { ClassDef, Expr } from '../../server/src/core/model/types';
import type { RuleContext } from '../../server/src/core/types';
import { credentialField, type CredentialField } from './credential-fields';

export interface StoredStruct {
  typeName: string;
  field: CredentialField;
}

/** The struct a declared type names: `struct Settings {…}`, `struct Settings`, `wifi_cfg_t`, `const cfg_t`. */
const TYPE_NAME = /^(?:(?:const|static|volatile)\s+)*(?:struct\s+)?([A-Za-z_]\w*)/;

export function storedStructCredential(ctx: RuleContext, value: Expr): StoredStruct | undefined {
  if (ctx.language !== 'c' && ctx.language !== 'cpp') return undefined;
  const name = storedObject(value.text);
  if (!name) return undefined;
  for (const variable of ctx.model.variables) {
    if (variable.name !== name || !variable.type) continue;
    const typeName = TYPE_NAME.exec(variable.type)?.[1];
    if (!typeName || typeName === 'struct') continue;
    for (const cls of ctx.model.classes) {
      if (cls.name !== typeName && typedefName(ctx, cls) !== typeName) continue;
      const field = credentialField(ctx, cls);
      if (field) return { typeName, field };
    }
  }
  return undefined;
}

/** `settings`, `&cfg`, `(uint8_t *)&cfg`, `(const void *) &cfg`: the object whose bytes are stored. */
function storedObject(text: string): string | undefined {
  const bare = text
    .trim()
    .replace(/^\([^()]*\)/, '')
    .trim()
    .replace(/^&/, '')
    .trim();
  return /^[A-Za-z_]\w*$/.test(bare) ? bare : undefined;
}

/** `typedef struct { … } wifi_cfg_t;`: the name after the closing brace. */
function typedefName(ctx: RuleContext, cls: ClassDef): string | undefined {
  return /^\s*([A-Za-z_]\w*)\s*;/.exec(ctx.text.content.slice(cls.end, cls.end + 120))?.[1];
}
