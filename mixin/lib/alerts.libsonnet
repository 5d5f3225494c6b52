// An alerting rule in the monitoring mixins' shape, its `for` and runbook taken from _config.
local units = { s: 'second', m: 'minute', h: 'hour', d: 'day', w: 'week' };

{
  // '10m' -> '10 minutes', '1h' -> '1 hour': what a description says of its `for`. A duration
  // of several units ('1h30m') is said as it is written.
  durationInWords(duration)::
    local n = std.substr(duration, 0, std.length(duration) - 1);
    local unit = duration[std.length(duration) - 1];
    if std.length(duration) > 1 && std.objectHas(units, unit)
       && [c for c in std.stringChars(n) if !std.member('0123456789', c)] == []
    then n + ' ' + units[unit] + (if n == '1' then '' else 's')
    else duration,

  // A text block folded into one line, as YAML's `>-` would: the descriptions are written over
  // several lines for the reader, and sent as one paragraph.
  fold(text):: std.join(' ', std.split(std.rstripChars(text, '\n'), '\n')),

  // summary and description may say %(for)s, the alert's `for` in words, and %(name)s for each
  // field of `words`; a literal % is %%. Worked out in locals: jsonnet evaluates a field each time
  // it is read, and std.format, written in jsonnet, is slow on a long description.
  alert(config, name, severity, expr, summary, description, words={})::
    local wait = words { 'for': $.durationInWords(config.alertFor[name]) };
    local summaryText = summary % wait, descriptionText = $.fold(description) % wait;
    {
      alert: name,
      expr: expr,
      'for': config.alertFor[name],
      labels: { severity: severity },
      annotations: {
        summary: summaryText,
        description: descriptionText,
        runbook_url: config.runbookURLPattern % name,
      },
    },
}
