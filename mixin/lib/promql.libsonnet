// The PromQL the alerts and dashboards share, each idiom written once.
{
  // A series selector. A matcher that is '' is left out, so that an empty _config selector
  // means "no restriction", and a selector left with no matcher loses its braces.
  series(metric, matchers=[])::
    local kept = [m for m in matchers if m != ''];
    if kept == [] then metric else metric + '{' + std.join(',', kept) + '}',

  // For alerts: the series of `series` that increased in the last `window`, or that are new.
  // increase() needs two samples of a series, so a check that makes a new series (the first
  // deny of a container, or a single one) would be missed: the second term catches a series
  // that exists now and had no sample `window` to `window` + `lookback` ago. A lookback range,
  // not an instant: after one failed scrape the stale marker would make every old series look
  // new for a moment. The exporter makes a series only once the kernel has counted a check of
  // it, so a new series is always a new check (an exporter restart starts every count again,
  // and a series after it stands for checks since then). Both terms keep every label of the
  // series.
  increasedOrNew(series, window='5m', lookback='10m')::
    |||
      increase(%(s)s[%(w)s]) > 0
      or
      (
        %(s)s
        unless
        last_over_time(%(s)s[%(l)s] offset %(w)s)
      )
    ||| % { s: series, w: window, l: lookback },

  // For dashboards: `aggregation` (such as 'sum' or 'sum by (capability) ') of what each series
  // of `series` counted in the dashboard's time range. increase() for the series that existed at
  // its start; a series that began in the range counts in full, its last value, where
  // increase() alone would show nothing for a pod denied once.
  countedInRange(aggregation, series)::
    std.rstripChars(|||
      %(a)s(
          (increase(%(s)s[$__range]) and %(s)s offset $__range)
        or
          (last_over_time(%(s)s[$__range]) unless %(s)s offset $__range)
      )
    ||| % { a: aggregation, s: series }, '\n'),
}
