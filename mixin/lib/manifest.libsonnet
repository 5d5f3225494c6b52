// The text of the rendered files, with Debian's jsonnet 0.18 alone. Its std functions are
// written in jsonnet, and slow where they go character by character: std.escapeStringJson costs
// about a tenth of a millisecond a character, std.manifestYamlDoc(quote_keys=false) milliseconds
// a key, std.member on a string is a std.findSubstr. What is here takes the native ways.
local width = 100;
local reserved = ['y', 'n', 'yes', 'no', 'true', 'false', 'on', 'off', 'null'];

// Sets of characters, as objects.
local set(chars) = { [c]: true for c in std.stringChars(chars) };
local letters = set('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_');
local digits = set('0123456789');
local units = set('smhdwy');
local plainChars = letters + digits + set('./-');
local only(chars, s) = std.filter(function(ch) !std.objectHas(chars, ch), std.stringChars(s)) == [];

// Characters JSON escapes as \uXXXX, and a YAML block cannot hold.
local controls(s) = std.filter(
  function(ch) local c = std.codepoint(ch); (c < 32 && ch != '\n') || (c >= 127 && c <= 159),
  std.stringChars(s)
);
local oneLine(s) = std.length(std.strReplace(s, '\n', '')) == std.length(s);

// std.escapeStringJson's bytes through the native std.strReplace; the rare string with a
// control character other than a newline is left to std.
local quote(s) =
  if controls(s) != [] then std.escapeStringJson(s)
  else '"' + std.strReplace(std.strReplace(std.strReplace(s, '\\', '\\\\'), '"', '\\"'), '\n', '\\n') + '"';

// A word YAML reads as the same string unquoted: no indicator, number, boolean or null. A
// duration such as 10m or 1h30m is one too.
local plain(s) =
  s != '' && (
    std.objectHas(letters, s[0]) && only(plainChars, s) && !std.member(reserved, std.asciiLower(s))
    || std.objectHas(digits, s[0]) && std.objectHas(units, s[std.length(s) - 1]) && only(digits + units, s)
  );

// A rule's keys in the order Prometheus's documentation writes them; others after, sorted.
local order = [
  'name',
  'interval',
  'rules',
  'alert',
  'record',
  'expr',
  'for',
  'keep_firing_for',
  'labels',
  'annotations',
  'summary',
  'description',
  'runbook_url',
];
local keys(o) = [k for k in order if std.objectHas(o, k)]
                + [k for k in std.objectFields(o) if !std.member(order, k)];

// Keys whose values are prose, which may be broken into lines.
local prose = ['summary', 'description', 'message'];

// Words greedily filled into lines of at most `room` characters.
local fill(words, room) = std.foldl(
  function(lines, w)
    local last = if lines == [] then null else lines[std.length(lines) - 1];
    if last != null && std.length(last) + 1 + std.length(w) <= room
    then lines[0:std.length(lines) - 1] + [last + ' ' + w]
    else lines + [w],
  words,
  []
);

// A string after `column` characters of its line, its block lines (if any) at `indent`: a text of
// whole lines as a literal block (an expr, as written); prose (`fold`) too long for its line as
// a folded block, broken only at single spaces, which YAML folds back into them (a description);
// a line in single quotes, which escape nothing but themselves; else in JSON's double quotes.
local string(s, indent, column, fold) =
  local len = std.length(s);
  local clean = len > 0 && controls(s) == [];
  local blockable = clean && s[0] != ' ' && s[0] != '\n';
  if blockable && std.endsWith(s, '\n') && !std.endsWith(s, '\n\n') then
    local lines = std.split(std.substr(s, 0, len - 1), '\n');
    '|\n' + std.join('\n', [if l == '' then '' else indent + l for l in lines])
  else if column + len <= width && plain(s) then s
  else if fold && blockable && column + len + 2 > width && s[len - 1] != ' ' && oneLine(s)
          && std.length(std.strReplace(s, '  ', ' ')) == len then
    '>-\n' + std.join('\n', [indent + l for l in fill(std.split(s, ' '), width - std.length(indent))])
  else if clean && oneLine(s) then "'" + std.strReplace(s, "'", "''") + "'"
  else quote(s);

local scalar(v, indent, column, fold=false) =
  if std.isString(v) then string(v, indent, column, fold)
  else if std.isArray(v) then '[]'
  else if std.isObject(v) then '{}'
  else std.manifestJson(v);

local block(v) = (std.isObject(v) || std.isArray(v)) && std.length(v) > 0;

// field(): `key: value` with the key at `indent`, `lead` standing before it on its line (a list
// item's dash), and the lines of a value below it. lines(): an object's fields, or a list's
// items, at `indent`.
local field(k, v, indent, lead) =
  local head = lead + (if plain(k) then k else quote(k)) + ':';
  if block(v) then head + '\n' + lines(v, indent + '  ')
  else head + ' ' + scalar(v, indent + '  ', std.length(head) + 1, std.member(prose, k)),
      lines(v, indent) =
  if std.isObject(v) then
    std.join('\n', [field(k, v[k], indent, indent) for k in keys(v)])
  else
    std.join('\n', [
      if std.isObject(x) && std.length(x) > 0 then
        local ks = keys(x);
        std.join('\n', [field(ks[0], x[ks[0]], indent + '  ', indent + '- ')]
                       + [field(k, x[k], indent + '  ', indent + '  ') for k in ks[1:]])
      else if block(x) then indent + '-\n' + lines(x, indent + '  ')
      else indent + '- ' + scalar(x, indent + '  ', std.length(indent) + 2)
      for x in v
    ]);

{
  // YAML of an object, lists indented under their key, keys in a rule's order, prose broken into
  // lines of up to 100 characters; no newline at the end.
  yaml(object):: lines(object, ''),

  // JSON indented by two spaces, objects' keys sorted; no newline at the end. std.manifestJsonEx
  // escapes through the std object it is a field of, so the fast quote replaces std's there. It
  // writes an empty array or object over three lines with an empty one between: the empty line
  // is the mark (strings are escaped, so no other line is empty), and the three are joined.
  json(value)::
    local text = (std { escapeStringJson(v):: quote(std.toString(v)) }).manifestJsonEx(value, '  ');
    local all = std.split(text, '\n');
    local n = std.length(all);
    std.join('\n', [
      if i + 2 < n && all[i + 1] == '' then all[i] + std.lstripChars(all[i + 2], ' ') else all[i]
      for i in std.range(0, n - 1)
      if all[i] != '' && !(i > 0 && all[i - 1] == '')
    ]),
}
