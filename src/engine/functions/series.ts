/**
 * Time-series functions over dynamic arrays of numbers. Functions that return several columns
 * (series_fit_line, series_decompose_anomalies) return a tuple: a JS array of their values,
 * which extend/project spread into columns.
 *
 * series_decompose_anomalies follows Kusto's documented method, simplified: baseline = the
 * seasonal median per phase when a period is given (automatic period detection, seasonality=-1,
 * is not done: no seasonal part) plus the trend of the rest ('avg' mean, 'linefit' least
 * squares, 'none'); anomalies
 * by Tukey's fence on the residuals (ctukey: 10th-90th percentile, tukey: 25th-75th).
 * Scores are close to, not identical with, the service's.
 */
import { argAs, constantArg, type FunctionTable, type ScalarFunction } from "./types";
import type { Dyn, Value } from "../values/types";

function numbers(v: Value): number[] | null {
  if (!Array.isArray(v)) return null;
  return (v as Dyn[]).map((x) => (typeof x === "number" ? x : typeof x === "string" && x.trim() !== "" && !Number.isNaN(Number(x)) ? Number(x) : NaN));
}

export function fitLine(y: number[]): { rsquare: number; slope: number; variance: number; rvariance: number; interception: number; line: number[] } {
  const n = y.length;
  const xs = y.map((_, i) => i + 1);
  const mx = xs.reduce((a, b) => a + b, 0) / (n || 1);
  const my = y.reduce((a, b) => a + b, 0) / (n || 1);
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i]! - mx) * (y[i]! - my);
    sxx += (xs[i]! - mx) ** 2;
  }
  const slope = sxx === 0 ? 0 : sxy / sxx;
  const interception = my - slope * mx;
  const line = xs.map((x) => interception + slope * x);
  const variance = n > 1 ? y.reduce((a, v) => a + (v - my) ** 2, 0) / (n - 1) : 0;
  const rvariance = n > 1 ? y.reduce((a, v, i) => a + (v - line[i]!) ** 2, 0) / (n - 1) : 0;
  const rsquare = variance === 0 ? 1 : 1 - rvariance / variance;
  return { rsquare, slope, variance, rvariance, interception, line };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (rank - lo);
}

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function trendOf(y: number[], trend: string): number[] {
  if (trend === "linefit") return fitLine(y).line;
  if (trend === "none") return y.map(() => 0);
  const mean = y.reduce((a, b) => a + b, 0) / (y.length || 1);
  return y.map(() => mean);
}

/**
 * The documented order of series_decompose: the seasonal component first (the median of the
 * points in the same phase, when a period is given; else 0), then the trend of the series
 * without it ('avg' mean, 'linefit' least squares, 'none'), baseline = seasonal + trend.
 */
export function decompose(y: number[], period: number, trend: string): { seasonal: number[]; trend: number[]; baseline: number[] } {
  let seasonal = y.map(() => 0);
  if (period > 1 && y.length >= 2 * period) {
    const phase = Array.from({ length: period }, (_, p) => median(y.filter((_, i) => i % period === p)));
    seasonal = y.map((_, i) => phase[i % period]!);
  }
  const trendLine = trendOf(
    y.map((v, i) => v - seasonal[i]!),
    trend,
  );
  return { seasonal, trend: trendLine, baseline: y.map((_, i) => seasonal[i]! + trendLine[i]!) };
}

export function baselineOf(y: number[], period: number, trend: string): number[] {
  return decompose(y, period, trend).baseline;
}

export function decomposeAnomalies(y: number[], threshold: number, period: number, trend: string, method: string): [number[], number[], number[]] {
  const baseline = baselineOf(y, period, trend);
  const residual = y.map((v, i) => v - baseline[i]!);
  const sorted = [...residual].sort((a, b) => a - b);
  const [pLow, pHigh] = method === "tukey" ? [25, 75] : [10, 90];
  const q1 = percentile(sorted, pLow);
  const q3 = percentile(sorted, pHigh);
  const iqr = q3 - q1;
  const scores = residual.map((r) => {
    if (iqr === 0) return 0;
    if (r > q3) return (r - q3) / iqr;
    if (r < q1) return (r - q1) / iqr;
    return 0;
  });
  const flags = scores.map((s) => (s > threshold ? 1 : s < -threshold ? -1 : 0));
  return [flags, scores, baseline];
}

const seriesFitLine: ScalarFunction = {
  build([series]) {
    const f = argAs(series!, "dynamic");
    return (row) => {
      const y = numbers(f(row));
      if (!y) return [null, null, null, null, null, null];
      const r = fitLine(y);
      return [r.rsquare, r.slope, r.variance, r.rvariance, r.interception, r.line];
    };
  },
};

const seriesDecomposeAnomalies: ScalarFunction = {
  maxArgs: 6, // Seasonality_threshold (automatic seasonality) is not implemented
  defaultOnlyArgs: new Map([[4, { name: "Test_points", default: 0n }]]),
  build([series, threshold, seasonality, trend, , method]) {
    const f = argAs(series!, "dynamic");
    const k = threshold ? Number(constantArg(threshold) ?? 1.5) : 1.5;
    const period = seasonality ? Number(constantArg(seasonality) ?? -1) : -1;
    const trendKind = trend ? String(constantArg(trend) ?? "avg") : "avg";
    const test = method ? String(constantArg(method) ?? "ctukey") : "ctukey";
    return (row) => {
      const y = numbers(f(row));
      if (!y) return [null, null, null];
      return decomposeAnomalies(y, k, period, trendKind, test);
    };
  },
};

const seriesDecompose: ScalarFunction = {
  maxArgs: 3, // test_points and Seasonality_threshold are not implemented
  build([series, seasonality, trend]) {
    const f = argAs(series!, "dynamic");
    const period = seasonality ? Number(constantArg(seasonality) ?? -1) : -1;
    const trendKind = trend ? String(constantArg(trend) ?? "avg") : "avg";
    return (row) => {
      const y = numbers(f(row));
      if (!y) return [null, null, null, null];
      const d = decompose(y, period, trendKind);
      return [d.baseline, d.seasonal, d.trend, y.map((v, i) => v - d.baseline[i]!)];
    };
  },
};

export const SERIES_FUNCTIONS: FunctionTable = {
  series_fit_line: seriesFitLine,
  series_decompose_anomalies: seriesDecomposeAnomalies,
  series_decompose: seriesDecompose,
};
