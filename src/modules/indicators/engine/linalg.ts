/**
 * The two eigenproblems the engine needs, without a matrix library:
 * - the principal (Perron) eigenvector of a positive matrix, by power iteration (AHP);
 * - all eigenpairs of a small symmetric matrix, by cyclic Jacobi rotations (PCA on a correlation
 *   matrix). Both are textbook algorithms (Golub & Van Loan, Matrix Computations, §7.3 and §8.5).
 */

/**
 * Perron eigenvalue and eigenvector (normalised to sum 1) of a positive square matrix. For a
 * positive matrix the Perron root is simple and strictly dominant, so power iteration converges
 * (Perron–Frobenius); the eigenvalue is the Rayleigh-free estimate mean_i (Aw)_i / w_i, which is
 * exact at convergence.
 */
export function perronEigen(a: readonly (readonly number[])[], tol = 1e-15, maxIter = 100_000): { value: number; vector: number[]; iterations: number } {
  const n = a.length;
  let w = new Array<number>(n).fill(1 / n);
  let it = 0;
  for (; it < maxIter; it++) {
    const next = new Array<number>(n).fill(0);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += a[i][j] * w[j];
      next[i] = s;
    }
    const total = next.reduce((x, y) => x + y, 0);
    for (let i = 0; i < n; i++) next[i] /= total;
    let diff = 0;
    for (let i = 0; i < n; i++) diff = Math.max(diff, Math.abs(next[i] - w[i]));
    w = next;
    if (diff <= tol) break;
  }
  let lambda = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += a[i][j] * w[j];
    lambda += s / w[i];
  }
  return { value: lambda / n, vector: w, iterations: it };
}

/**
 * Eigen-decomposition of a real symmetric matrix by the cyclic Jacobi method. Returns eigenvalues
 * in decreasing order and unit eigenvectors as columns (vectors[k] is the k-th eigenvector).
 */
export function symmetricEigen(s: readonly (readonly number[])[], tol = 1e-14, maxSweeps = 100): { values: number[]; vectors: number[][] } {
  const n = s.length;
  const a = s.map((r) => [...r]);
  const v: number[][] = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
  for (let sweep = 0; sweep < maxSweeps; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p][q] * a[p][q];
    if (off <= tol * tol) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        if (a[p][q] === 0) continue;
        // Rotation angle that zeroes a[p][q] (Golub & Van Loan, Algorithm 8.5.1).
        const theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const sn = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k][p];
          const akq = a[k][q];
          a[k][p] = c * akp - sn * akq;
          a[k][q] = sn * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p][k];
          const aqk = a[q][k];
          a[p][k] = c * apk - sn * aqk;
          a[q][k] = sn * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k][p];
          const vkq = v[k][q];
          v[k][p] = c * vkp - sn * vkq;
          v[k][q] = sn * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => a[j][j] - a[i][i]);
  return { values: order.map((i) => a[i][i]), vectors: order.map((i) => v.map((row) => row[i])) };
}
