// Just the Grafana dashboard JSON this mixin needs (schema 39), written without grafonnet so that
// Debian's jsonnet renders it with nothing vendored. Every panel and query variable reads the
// data source variable, so one dashboard serves any Prometheus.
local datasource = { type: 'prometheus', uid: '${datasource}' };
local tag = 'capability-exporter';

{
  // The dashboard: the project's tag, links to the others by that tag, the data source variable
  // first. Panels are numbered in order.
  dashboard(uid, title, description, from, variables, panels):: {
    uid: uid,
    title: title,
    description: description,
    tags: [tag],
    editable: true,
    graphTooltip: 1,
    schemaVersion: 39,
    version: 1,
    refresh: '30s',
    time: { from: from, to: 'now' },
    timepicker: { refresh_intervals: ['30s', '1m', '5m', '15m', '30m', '1h'] },
    timezone: 'browser',
    fiscalYearStartMonth: 0,
    liveNow: false,
    weekStart: '',
    annotations: {
      list: [
        {
          builtIn: 1,
          datasource: { type: 'grafana', uid: '-- Grafana --' },
          enable: true,
          hide: true,
          iconColor: 'rgba(0, 211, 255, 1)',
          name: 'Annotations & Alerts',
          type: 'dashboard',
        },
      ],
    },
    links: [
      {
        title: 'Capability exporter',
        type: 'dashboards',
        tags: [tag],
        asDropdown: true,
        includeVars: true,
        keepTime: true,
        targetBlank: false,
        icon: 'external link',
        tooltip: '',
        url: '',
      },
    ],
    templating: {
      list: [
        {
          name: 'datasource',
          label: 'Data source',
          type: 'datasource',
          query: 'prometheus',
          current: { selected: true, text: 'default', value: 'default' },
          hide: 0,
          includeAll: false,
          multi: false,
          options: [],
          refresh: 1,
          regex: '',
          skipUrlSync: false,
        },
      ] + variables,
    },
    panels: [panels[i] { id: i + 1 } for i in std.range(0, std.length(panels) - 1)],
  },

  // A variable of label values, refreshed on every time range change, with All as `.*` (the
  // queries match it with =~).
  variable(name, label, query, multi):: {
    local all = if multi then { text: ['All'], value: ['$__all'] } else { text: 'All', value: '$__all' },
    name: name,
    label: label,
    type: 'query',
    datasource: datasource,
    definition: query,
    query: { qryType: 1, query: query, refId: 'PrometheusVariableQueryEditor-VariableQuery' },
    refresh: 2,
    sort: 1,
    includeAll: true,
    allValue: '.*',
    multi: multi,
    current: { selected: true } + all,
    hide: 0,
    options: [],
    regex: '',
    skipUrlSync: false,
  },

  // A query for a stat or a table: the value now, or over the time range.
  instant(expr, refId='A'):: {
    datasource: datasource,
    editorMode: 'code',
    expr: expr,
    instant: true,
    range: false,
    refId: refId,
  },

  // A query for a time series panel.
  range(expr, legend, refId='A'):: {
    datasource: datasource,
    editorMode: 'code',
    expr: expr,
    legendFormat: legend,
    range: true,
    refId: refId,
  },

  local panel(type, title, description, gridPos, targets) = {
    type: type,
    title: title,
    description: description,
    gridPos: gridPos,
    datasource: datasource,
    targets: targets,
  },

  // One number. `alarm`: red from 1 on, for counts of trouble; a plain count is left uncoloured.
  stat(title, description, gridPos, expr, unit='short', alarm=false, colored=true)::
    panel('stat', title, description, gridPos, [$.instant(expr)]) {
      fieldConfig: {
        defaults: {
          unit: unit,
          color: { mode: 'thresholds' },
          thresholds: {
            mode: 'absolute',
            steps: [{ color: 'green', value: null }]
                   + (if alarm then [{ color: 'red', value: 1 }] else []),
          },
        } + (if unit == 'short' then { decimals: 0 } else {}),
        overrides: [],
      },
      options: {
        reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false },
        colorMode: if colored then 'value' else 'none',
        graphMode: 'none',
        justifyMode: 'auto',
        orientation: 'auto',
        textMode: 'auto',
      },
    },

  // Lines over time. `defaults` adds to the field defaults (max, decimals).
  timeseries(title, description, gridPos, targets, unit, overrides=[], defaults={}, legend='bottom')::
    panel('timeseries', title, description, gridPos, targets) {
      fieldConfig: {
        defaults: {
          unit: unit,
          min: 0,
          custom: {
            drawStyle: 'line',
            lineWidth: 1,
            fillOpacity: 10,
            showPoints: 'never',
            spanNulls: false,
            stacking: { mode: 'none', group: 'A' },
          },
        } + defaults,
        overrides: overrides,
      },
      options: {
        legend: { displayMode: 'table', placement: legend, showLegend: true, calcs: ['mean', 'max'] },
        tooltip: { mode: 'multi', sort: 'desc' },
      },
    },

  // Rows of instant queries, sorted by the column `sortBy`.
  table(title, description, gridPos, exprs, sortBy, transformations, overrides=[], descending=true)::
    local refIds = 'ABCDEFGH';
    panel('table', title, description, gridPos, [
      $.instant(exprs[i], refIds[i]) { format: 'table' }
      for i in std.range(0, std.length(exprs) - 1)
    ]) {
      fieldConfig: {
        defaults: { unit: 'short', decimals: 0, custom: { align: 'auto', filterable: true } },
        overrides: overrides,
      },
      options: {
        showHeader: true,
        cellHeight: 'sm',
        footer: { show: false, reducer: ['sum'], fields: '' },
        sortBy: [{ displayName: sortBy, desc: descending }],
      },
      transformations: transformations,
    },

  // A field override: one series or column, by name or by regular expression, in a fixed colour.
  color(matcher, pattern, color):: {
    matcher: { id: matcher, options: pattern },
    properties: [{ id: 'color', value: { mode: 'fixed', fixedColor: color } }],
  },

  // A table's columns: `order` first, in that order, Time hidden, `rename`d.
  organize(order, rename, exclude=[]):: {
    id: 'organize',
    options: {
      excludeByName: { [name]: true for name in ['Time'] + exclude },
      indexByName: { [order[i]]: i for i in std.range(0, std.length(order) - 1) },
      renameByName: rename,
    },
  },

  // Joins a table's queries into one row per label set.
  merge:: { id: 'merge', options: {} },
}
