/**
 * Regularised logistic regression, Platt calibration and the backtest's figures (AUC, Brier, calibration error), in
 * plain TypeScript: a score model has ~20 features and at most tens of thousands of training rows, which Newton's
 * method fits in a few milliseconds.
 */

export interface LogisticModel {
  features: string[];
  /** Standardisation: x' = (x − mean) / scale. */
  means: number[];
  scales: number[];
  intercept: number;
  weights: number[];
  /** Platt scaling of the linear score z: p = σ(a·z + b). */
  platt: { a: number; b: number };
}

export const sigmoid = (z: number) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

/** Linear score of one (raw) feature vector: intercept + Σ wᵢ·(xᵢ − meanᵢ)/scaleᵢ. */
export function linear(m: Pick<LogisticModel, "means" | "scales" | "intercept" | "weights">, x: number[]): number {
  let z = m.intercept;
  for (let i = 0; i < m.weights.length; i++) z += m.weights[i]! * ((x[i]! - m.means[i]!) / m.scales[i]!);
  return z;
}

export const predict = (m: LogisticModel, x: number[]) => sigmoid(m.platt.a * linear(m, x) + m.platt.b);

export interface FitOptions {
  /**
   * The prior: weights are pulled toward `priorWeights` (in standardised units) with precision `lambda` per row-free
   * unit, so with 30 closed deals the model stays near the prior (the stage probability) and sharpens as deals close.
   */
  priorWeights: number[];
  priorIntercept: number;
  lambda: number;
  iterations?: number;
}

/** Means and scales (standard deviation, 1 when a feature is constant) of the columns of X. */
export function standardise(X: number[][], k = X[0]?.length ?? 0): { means: number[]; scales: number[] } {
  const means = new Array<number>(k).fill(0);
  const scales = new Array<number>(k).fill(1);
  if (!X.length) return { means, scales };
  for (const x of X) for (let j = 0; j < k; j++) means[j]! += x[j]! / X.length;
  for (let j = 0; j < k; j++) {
    let v = 0;
    for (const x of X) v += (x[j]! - means[j]!) ** 2;
    const sd = Math.sqrt(v / X.length);
    scales[j] = sd > 1e-9 ? sd : 1;
  }
  return { means, scales };
}

/** Solves A·x = b (A symmetric positive definite, small) by Gaussian elimination with partial pivoting. */
function solve(A: number[][], b: number[]): number[] {
  const n = b.length;
  const M = A.map((row, i) => [...row, b[i]!]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r]![c]!) > Math.abs(M[p]![c]!)) p = r;
    [M[c], M[p]] = [M[p]!, M[c]!];
    const piv = M[c]![c]! || 1e-12;
    for (let r = c + 1; r < n; r++) {
      const f = M[r]![c]! / piv;
      if (f === 0) continue;
      for (let k = c; k <= n; k++) M[r]![k]! -= f * M[c]![k]!;
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = M[r]![n]!;
    for (let k = r + 1; k < n; k++) s -= M[r]![k]! * x[k]!;
    x[r] = s / (M[r]![r]! || 1e-12);
  }
  return x;
}

/**
 * MAP logistic regression with a Gaussian prior (mean `priorWeights`, precision `lambda`) by Newton–Raphson on
 * standardised features; the intercept's prior is weak (precision lambda/100).
 */
export function fitLogistic(X: number[][], y: number[], features: string[], o: FitOptions): LogisticModel {
  const k = features.length;
  const { means, scales } = standardise(X, k);
  const Z = X.map((x) => x.map((v, j) => (v - means[j]!) / scales[j]!));
  // Parameters: [intercept, w1..wk]
  let beta = [o.priorIntercept, ...o.priorWeights];
  const prior = [o.priorIntercept, ...o.priorWeights];
  const prec = [o.lambda / 100, ...new Array<number>(k).fill(o.lambda)];
  for (let it = 0; it < (o.iterations ?? 25); it++) {
    const g = beta.map((b, j) => -prec[j]! * (b - prior[j]!));
    const H = beta.map((_, i) => beta.map((__, j) => (i === j ? prec[i]! : 0)));
    for (let r = 0; r < Z.length; r++) {
      const row = [1, ...Z[r]!];
      let z = 0;
      for (let j = 0; j <= k; j++) z += beta[j]! * row[j]!;
      const p = sigmoid(z);
      const w = Math.max(p * (1 - p), 1e-6);
      const e = y[r]! - p;
      for (let i = 0; i <= k; i++) {
        g[i]! += e * row[i]!;
        const hi = H[i]!;
        for (let j = i; j <= k; j++) hi[j]! += w * row[i]! * row[j]!;
      }
    }
    for (let i = 0; i <= k; i++) for (let j = 0; j < i; j++) H[i]![j] = H[j]![i]!;
    const step = solve(H, g);
    beta = beta.map((b, j) => b + step[j]!);
    if (Math.max(...step.map(Math.abs)) < 1e-7) break;
  }
  return { features, means, scales, intercept: beta[0]!, weights: beta.slice(1), platt: { a: 1, b: 0 } };
}

/** Platt scaling: fits p = σ(a·z + b) on held-out (z, y), lightly pulled toward the identity (a = 1, b = 0). */
export function fitPlatt(z: number[], y: number[]): { a: number; b: number } {
  if (z.length < 10 || new Set(y).size < 2) return { a: 1, b: 0 };
  const m = fitLogistic(
    z.map((v) => [v]),
    y,
    ["z"],
    { priorWeights: [0], priorIntercept: 0, lambda: 2 },
  );
  // Back from standardised z to raw z: w·(z − mean)/scale + c.
  const a = m.weights[0]! / m.scales[0]!;
  const b = m.intercept - a * m.means[0]!;
  return a > 0.05 ? { a, b } : { a: 1, b: 0 };
}

/** Area under the ROC curve (ties count half); null when one class is missing. */
export function auc(p: number[], y: number[]): number | null {
  const pos = y.filter((v) => v === 1).length;
  const neg = y.length - pos;
  if (!pos || !neg) return null;
  const idx = p.map((v, i) => [v, y[i]!] as const).sort((a, b) => a[0] - b[0]);
  let rankSum = 0;
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j < idx.length && idx[j]![0] === idx[i]![0]) j++;
    const avg = (i + j + 1) / 2; // ranks are 1-based
    for (let t = i; t < j; t++) if (idx[t]![1] === 1) rankSum += avg;
    i = j;
  }
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

export const brier = (p: number[], y: number[]) => (p.length ? p.reduce((s, v, i) => s + (v - y[i]!) ** 2, 0) / p.length : null);

export interface ReliabilityBin {
  from: number;
  to: number;
  count: number;
  meanPredicted: number | null;
  observed: number | null;
}

/** Ten equal-width bins of predicted probability: mean prediction vs observed win rate, and the expected calibration error. */
export function reliability(p: number[], y: number[]): { bins: ReliabilityBin[]; ece: number | null } {
  const bins: ReliabilityBin[] = Array.from({ length: 10 }, (_, i) => ({ from: i / 10, to: (i + 1) / 10, count: 0, meanPredicted: 0, observed: 0 }));
  p.forEach((v, i) => {
    const b = bins[Math.min(9, Math.floor(v * 10))]!;
    b.count++;
    b.meanPredicted! += v;
    b.observed! += y[i]!;
  });
  let ece = 0;
  for (const b of bins) {
    if (!b.count) {
      b.meanPredicted = null;
      b.observed = null;
      continue;
    }
    b.meanPredicted! /= b.count;
    b.observed! /= b.count;
    ece += (b.count / p.length) * Math.abs(b.meanPredicted! - b.observed!);
  }
  return { bins, ece: p.length ? ece : null };
}
