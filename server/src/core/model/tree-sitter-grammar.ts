/**
 * The node types of each tree-sitter grammar that the code model cares about, as data. Adding a language
 * to the model means adding a row here, not a new walker.
 */
import type { TreeSitterLanguage } from '../language';

export interface GrammarTable {
  strings: string[];
  /** Adjacent-literal concatenation nodes ("a" "b" in C, Python). */
  concatenatedStrings: string[];
  numbers: string[];
  booleans: string[];
  nulls: string[];
  names: string[];
  calls: string[];
  arrays: string[];
  objects: string[];
  /** Wrappers whose single meaningful child is the value: (x), casts. */
  transparent: string[];
  functions: string[];
  classes: string[];
  comments: string[];
  returns: string[];
  throws: string[];
  /** Nodes that bind a name to a value. */
  declarators: string[];
  assignments: string[];
  /** key/value pairs: initializer_pair, dict pair, keyword argument. */
  pairs: string[];
  comparisons: string[];
  defines: string[];
  defaults: string[];
  /** Receiver-less keywords that name the current object. */
  selfNames: string[];
}

const C_LIKE = {
  strings: ['string_literal', 'raw_string_literal'],
  concatenatedStrings: ['concatenated_string'],
  numbers: ['number_literal'],
  booleans: ['true', 'false'],
  nulls: ['null', 'nullptr'],
  names: ['identifier', 'field_expression', 'qualified_identifier', 'field_identifier', 'namespace_identifier', 'this'],
  calls: ['call_expression', 'new_expression'],
  arrays: ['initializer_list'],
  objects: [],
  transparent: ['parenthesized_expression', 'cast_expression', 'pointer_expression', 'condition_clause'],
  functions: ['function_definition', 'lambda_expression'],
  classes: ['class_specifier', 'struct_specifier'],
  comments: ['comment'],
  returns: ['return_statement'],
  throws: ['throw_expression', 'throw_statement'],
  declarators: ['init_declarator'],
  assignments: ['assignment_expression'],
  pairs: ['initializer_pair'],
  comparisons: ['binary_expression'],
  defines: ['preproc_def'],
  defaults: ['optional_parameter_declaration'],
  selfNames: ['this'],
};

export const GRAMMARS: Record<TreeSitterLanguage, GrammarTable> = {
  c: C_LIKE,
  cpp: C_LIKE,
  python: {
    strings: ['string'],
    concatenatedStrings: ['concatenated_string'],
    numbers: ['integer', 'float'],
    booleans: ['true', 'false'],
    nulls: ['none'],
    names: ['identifier', 'attribute'],
    calls: ['call'],
    arrays: ['list', 'tuple', 'set'],
    objects: ['dictionary'],
    transparent: ['parenthesized_expression'],
    functions: ['function_definition', 'lambda'],
    classes: ['class_definition'],
    comments: ['comment'],
    returns: ['return_statement'],
    throws: ['raise_statement'],
    declarators: [],
    assignments: ['assignment'],
    pairs: ['pair'],
    comparisons: ['comparison_operator'],
    defines: [],
    defaults: ['default_parameter', 'typed_default_parameter'],
    selfNames: ['self'],
  },
  java: {
    strings: ['string_literal', 'text_block'],
    concatenatedStrings: [],
    numbers: [
      'decimal_integer_literal',
      'hex_integer_literal',
      'octal_integer_literal',
      'binary_integer_literal',
      'decimal_floating_point_literal',
    ],
    booleans: ['true', 'false'],
    nulls: ['null_literal'],
    names: ['identifier', 'field_access', 'scoped_identifier', 'this'],
    calls: ['method_invocation', 'object_creation_expression'],
    arrays: ['array_initializer', 'array_creation_expression'],
    objects: [],
    transparent: ['parenthesized_expression', 'cast_expression'],
    functions: ['method_declaration', 'constructor_declaration', 'lambda_expression'],
    classes: ['class_declaration', 'enum_declaration', 'interface_declaration'],
    comments: ['line_comment', 'block_comment'],
    returns: ['return_statement'],
    throws: ['throw_statement'],
    declarators: ['variable_declarator'],
    assignments: ['assignment_expression'],
    pairs: [],
    comparisons: ['binary_expression'],
    defines: [],
    defaults: [],
    selfNames: ['this'],
  },
  kotlin: {
    strings: ['string_literal', 'multiline_string_literal'],
    concatenatedStrings: [],
    numbers: [
      'number_literal',
      'float_literal',
      'integer_literal',
      'hex_literal',
      'long_literal',
      'real_literal',
      'unsigned_literal',
      'bin_literal',
    ],
    booleans: ['boolean_literal'],
    nulls: ['null_literal'],
    names: ['identifier', 'navigation_expression', 'this_expression', 'simple_identifier'],
    calls: ['call_expression'],
    arrays: ['collection_literal'],
    objects: [],
    transparent: ['parenthesized_expression', 'as_expression'],
    functions: ['function_declaration', 'lambda_literal', 'anonymous_function', 'getter', 'setter'],
    classes: ['class_declaration', 'object_declaration', 'object_literal'],
    comments: ['line_comment', 'block_comment', 'multiline_comment'],
    returns: ['return_expression', 'jump_expression'],
    throws: ['throw_expression', 'jump_expression'],
    declarators: ['property_declaration'],
    assignments: ['assignment'],
    pairs: ['value_argument'],
    comparisons: ['equality_expression', 'binary_expression'],
    defines: [],
    defaults: ['class_parameter', 'parameter_with_optional_type'],
    selfNames: ['this', 'this_expression'],
  },
};
