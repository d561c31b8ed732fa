"""A vectorised DESeq2 fit for the full 2x2x2 design (the ``fast`` method of `differential_expression`).

The design ``~drug*hu*ir`` has one coefficient per cell, so it is saturated: ``X = G A`` with ``G``
the sample-to-cell indicator and ``A`` the 8x8 matrix of the cells' design rows. Then
``X'WX = A'(G'WG)A``, whose log-determinant is a constant plus the sum over cells of
``log(sum of W)``, and the IRLS update decouples into one weighted mean per cell. Every step of
pydeseq2's pipeline (size factors, genewise dispersions with the Cox-Reid term, the parametric trend,
the prior, MAP dispersions, LFCs, Cook's distances, outlier replacement) therefore runs on whole
gene x sample arrays at once instead of one scipy optimisation per gene. The dispersion optimum is
found by a grid over log(alpha) and bisection on the analytic gradient.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.special import digamma, gammaln, polygamma
from scipy.stats import f as f_dist
from scipy.stats import trim_mean

MIN_MU = 0.5
MIN_DISP = 1e-8
MAX_DISP = 10.0
MIN_REPLICATES_REFIT = 7
_GRID = 16
_SECANT_STEPS = 30
_LFC_ITERATIONS = 100


@dataclass
class Fit:
    """What the Wald tests need from a fitted model (genes in columns of the sample arrays)."""

    design: np.ndarray  # samples x coefficients
    columns: list[str]
    lfc: np.ndarray  # genes x coefficients, natural log; NaN for genes with only zeros
    dispersions: np.ndarray  # genes
    size_factors: np.ndarray  # samples
    base_mean: np.ndarray  # genes: mean of normalised counts
    cooks_outlier: np.ndarray  # genes, bool
    zero_after_refit: np.ndarray  # genes, bool: all counts zero once outliers were replaced


def fit_saturated(counts: np.ndarray, cells: np.ndarray, design: np.ndarray, columns: list[str]) -> Fit:
    """Fit DESeq2's model to `counts` (samples x genes) with one coefficient per cell.

    `cells` gives each sample's cell index; `design` is the samples x coefficients design matrix.
    """
    n_samples = counts.shape[0]
    n_cells = int(cells.max()) + 1
    cell_rows = np.array([design[np.flatnonzero(cells == c)[0]] for c in range(n_cells)])
    if np.linalg.matrix_rank(cell_rows) != design.shape[1] or n_cells != design.shape[1]:
        raise ValueError("fit_saturated needs one coefficient per cell of the design")
    max_disp = max(MAX_DISP, float(n_samples))
    size_factors = median_of_ratios(counts)
    normed = counts / size_factors[:, None]
    base_mean = normed.mean(axis=0)
    nonzero = ~(counts == 0).all(axis=0)

    y = counts[:, nonzero].astype(float)
    stages = _Stages(y, size_factors, cells, n_cells, max_disp)
    genewise = stages.genewise()
    trend = _fit_trend(genewise, base_mean[nonzero])
    fitted = trend(base_mean[nonzero])
    squared_logres, prior_var = _dispersion_prior(genewise, fitted, n_samples, design.shape[1])
    dispersions = stages.map(genewise, fitted, squared_logres, prior_var)
    eta, hat = stages.cell_means(dispersions)
    mu = size_factors[:, None] * np.exp(eta[cells])
    cooks = _cooks(y, normed[:, nonzero], mu, hat, design)

    all_disp = np.full(counts.shape[1], np.nan)
    all_eta = np.full((n_cells, counts.shape[1]), np.nan)
    all_cooks = np.full(counts.shape, np.nan)
    all_disp[nonzero], all_eta[:, nonzero], all_cooks[:, nonzero] = dispersions, eta, cooks
    zero_after_refit = np.zeros(counts.shape[1], dtype=bool)
    replace_cooks = None

    replaceable = _replicates_at_least(cells, MIN_REPLICATES_REFIT)
    cutoff = f_dist.ppf(0.99, design.shape[1], n_samples - design.shape[1])
    if replaceable.any():
        replace_cooks = _refit_outliers(
            counts, all_cooks, replaceable, cutoff, size_factors, cells, n_cells, max_disp, trend,
            (squared_logres, prior_var), base_mean, all_disp, all_eta, zero_after_refit,
        )
    lfc = np.linalg.solve(cell_rows, all_eta).T  # genes x coefficients
    lfc[zero_after_refit] = 0.0
    outlier = _cooks_outlier(counts, all_cooks, replace_cooks, cells, cutoff)
    return Fit(design, columns, lfc, all_disp, size_factors, base_mean, outlier, zero_after_refit)


def median_of_ratios(counts: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore"):
        logs = np.log(counts)
    logmeans = logs.mean(axis=0)
    usable = np.isfinite(logmeans)
    if not usable.any():
        raise ValueError("every gene has a zero count: median-of-ratios size factors are undefined")
    return np.exp(np.median(logs[:, usable] - logmeans[usable], axis=1))


class _Likelihood:
    """Cox-Reid adjusted NB negative log-likelihood of log(alpha) per gene, optionally with a prior."""

    def __init__(self, y: np.ndarray, mu: np.ndarray, indicator: np.ndarray, prior: tuple[np.ndarray, float] | None):
        self.y, self.mu, self.indicator, self.prior = y, mu, indicator, prior

    def subset(self, genes: np.ndarray) -> _Likelihood:
        prior = None if self.prior is None else (self.prior[0][genes], self.prior[1])
        return _Likelihood(self.y[:, genes], self.mu[:, genes], self.indicator, prior)

    def loss(self, log_alpha: np.ndarray) -> np.ndarray:
        y, mu = self.y, self.mu
        alpha = np.exp(log_alpha)
        r = 1.0 / alpha
        nll = (-gammaln(y + r) + (y + r) * np.log(r + mu) - y * np.log(mu)).sum(axis=0)
        nll += y.shape[0] * (gammaln(r) + r * log_alpha)
        weight = mu / (1.0 + mu * alpha)
        loss = nll + 0.5 * np.log(self.indicator @ weight).sum(axis=0)
        if self.prior is not None:
            loss += (log_alpha - self.prior[0]) ** 2 / (2 * self.prior[1])
        return loss

    def gradient(self, log_alpha: np.ndarray) -> np.ndarray:
        y, mu = self.y, self.mu
        alpha = np.exp(log_alpha)
        r = 1.0 / alpha
        terms = -digamma(y + r) + np.log1p(mu * alpha) + (y - mu) / (mu + r)
        gradient = -r * (terms.sum(axis=0) + y.shape[0] * digamma(r))
        weight = mu / (1.0 + mu * alpha)
        gradient += alpha * 0.5 * ((self.indicator @ -(weight**2)) / (self.indicator @ weight)).sum(axis=0)
        if self.prior is not None:
            gradient += (log_alpha - self.prior[0]) / self.prior[1]
        return gradient


def _minimise(likelihood: _Likelihood, lo: float, hi: float) -> np.ndarray:
    """Grid over log(alpha), then Illinois (regula falsi) on the gradient inside the best bracket."""
    grid = np.linspace(lo, hi, _GRID)
    n_genes = likelihood.y.shape[1]
    losses = np.array([likelihood.loss(np.full(n_genes, a)) for a in grid])
    best = np.argmin(np.where(np.isfinite(losses), losses, np.inf), axis=0)
    left, right = grid[np.maximum(best - 1, 0)], grid[np.minimum(best + 1, _GRID - 1)]
    return _root_in_bracket(likelihood, left, right)


def _root_in_bracket(likelihood: _Likelihood, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    g_left, g_right = likelihood.gradient(left), likelihood.gradient(right)
    result = np.where(g_left >= 0, left, right)  # no sign change: the optimum is at an end
    straddle = np.flatnonzero((g_left < 0) & (g_right > 0))
    if straddle.size:
        result[straddle] = _illinois(
            likelihood.subset(straddle), left[straddle], right[straddle], g_left[straddle], g_right[straddle]
        )
    return result


def _illinois(likelihood: _Likelihood, a: np.ndarray, b: np.ndarray, ga: np.ndarray, gb: np.ndarray) -> np.ndarray:
    """Root of the gradient in [a, b] (ga < 0 < gb) for every gene at once; converged genes drop out."""
    x = 0.5 * (a + b)
    kept = np.zeros(a.size, dtype=int)  # which end the last step kept: -1 a, 1 b
    active = np.arange(a.size)
    current = likelihood
    for _ in range(_SECANT_STEPS):
        i = active
        step = b[i] - gb[i] * (b[i] - a[i]) / (gb[i] - ga[i])
        moved = np.abs(step - x[i])
        x[i] = step
        gx = current.gradient(step)
        rising = gx > 0
        ga[i] = np.where(rising & (kept[i] == -1), ga[i] / 2, ga[i])  # an end kept twice running is damped
        gb[i] = np.where(~rising & (kept[i] == 1), gb[i] / 2, gb[i])
        b[i], gb[i] = np.where(rising, step, b[i]), np.where(rising, gx, gb[i])
        a[i], ga[i] = np.where(rising, a[i], step), np.where(rising, ga[i], gx)
        kept[i] = np.where(rising, -1, 1)
        going = (moved > 1e-9) & (b[i] - a[i] > 1e-9) & (gx != 0)
        if not going.any():
            break
        if not going.all():
            active = i[going]
            current = current.subset(np.flatnonzero(going))
    return x


class _Stages:
    """The per-gene fits, vectorised over genes, for one set of counts."""

    def __init__(self, y: np.ndarray, size_factors: np.ndarray, cells: np.ndarray, n_cells: int, max_disp: float):
        self.y, self.sf, self.cells = y, size_factors, cells
        self.indicator = np.eye(n_cells)[cells].T  # cells x samples
        per_cell = self.indicator.sum(axis=1)[:, None]
        self.per_cell = per_cell
        normed_means = (self.indicator @ (y / size_factors[:, None])) / per_cell
        self.mu_hat = np.maximum(size_factors[:, None] * normed_means[cells], MIN_MU)
        self.log_bounds = (float(np.log(MIN_DISP)), float(np.log(max_disp)))
        self.max_disp = max_disp

    def genewise(self) -> np.ndarray:
        likelihood = _Likelihood(self.y, self.mu_hat, self.indicator, prior=None)
        return np.clip(np.exp(_minimise(likelihood, *self.log_bounds)), MIN_DISP, self.max_disp)

    def map(self, genewise: np.ndarray, fitted: np.ndarray, squared_logres: float, prior_var: float) -> np.ndarray:
        """The prior pulls from the genewise optimum towards the trend: the MAP lies between the two."""
        likelihood = _Likelihood(self.y, self.mu_hat, self.indicator, prior=(np.log(fitted), prior_var))
        ends = np.log(np.stack([genewise, fitted]))
        left = np.clip(ends.min(axis=0) - 1e-6, *self.log_bounds)
        right = np.clip(ends.max(axis=0) + 1e-6, *self.log_bounds)
        dispersions = np.clip(np.exp(_root_in_bracket(likelihood, left, right)), MIN_DISP, self.max_disp)
        outliers = np.log(genewise) > np.log(fitted) + 2 * np.sqrt(squared_logres)
        return np.where(outliers, genewise, dispersions)

    def cell_means(self, dispersions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per-cell IRLS (pydeseq2's, decoupled): log mean per cell, and the hat-matrix diagonal."""
        sf = self.sf[:, None]
        eta = (self.indicator @ np.log(self.y / sf + 0.1)) / self.per_cell
        active = np.arange(self.y.shape[1])
        y, alpha = self.y, dispersions
        for _ in range(_LFC_ITERATIONS):
            mu = np.maximum(sf * np.exp(eta[:, active][self.cells]), MIN_MU)
            weight = mu / (1.0 + mu * alpha)
            z = np.log(mu / sf) + (y - mu) / mu
            updated = (self.indicator @ (weight * z)) / (self.indicator @ weight)
            going = np.abs(updated - eta[:, active]).max(axis=0) > 1e-9
            eta[:, active] = updated
            if not going.any():
                break
            active, y, alpha = active[going], y[:, going], alpha[going]
        mu = np.maximum(sf * np.exp(eta[self.cells]), MIN_MU)
        weight = mu / (1.0 + mu * dispersions)
        hat = weight / (self.indicator @ weight)[self.cells]
        return eta, hat


def _fit_trend(genewise: np.ndarray, normed_means: np.ndarray):  # type: ignore[no-untyped-def]
    """pydeseq2's parametric trend a0 + a1/mean (gamma GLM, refit without far genes); else the mean."""
    from pydeseq2.default_inference import DefaultInference

    inference = DefaultInference(n_cpus=1)
    covariates = 1.0 / normed_means
    keep = np.isfinite(covariates)
    old, coeffs = np.array([0.1, 0.1]), np.array([1.0, 1.0])
    while (coeffs > 1e-10).all() and (np.log(np.abs(coeffs / old)) ** 2).sum() >= 1e-6:
        old = coeffs
        coeffs, predictions, converged = inference.dispersion_trend_gamma_glm(
            pd.Series(covariates[keep]), pd.Series(genewise[keep])
        )
        if not converged or (coeffs <= 1e-10).any():
            usable = genewise[genewise > 10 * MIN_DISP]
            mean_disp = float(trim_mean(usable, proportiontocut=0.001))
            return lambda means: np.full_like(means, mean_disp, dtype=float)
        ratios = genewise[keep] / predictions
        far = (ratios < 1e-4) | (ratios >= 15)
        keep[np.flatnonzero(keep)[far]] = False
    a0, a1 = float(coeffs[0]), float(coeffs[1])
    return lambda means: a0 + a1 / means


def _dispersion_prior(
    genewise: np.ndarray, fitted: np.ndarray, n_samples: int, n_coefficients: int
) -> tuple[float, float]:
    from pydeseq2.utils import mean_absolute_deviation

    residuals = np.log(genewise) - np.log(fitted)
    above = genewise >= 100 * MIN_DISP
    squared_logres = float(mean_absolute_deviation(residuals[above]) ** 2)
    prior_var = max(squared_logres - float(polygamma(1, (n_samples - n_coefficients) / 2)), 0.25)
    return squared_logres, prior_var


def _cooks(y: np.ndarray, normed: np.ndarray, mu: np.ndarray, hat: np.ndarray, design: np.ndarray) -> np.ndarray:
    from pydeseq2.utils import robust_method_of_moments_disp

    frame = pd.DataFrame(design, index=[str(i) for i in range(design.shape[0])])
    robust = robust_method_of_moments_disp(normed, frame)
    variance = mu + robust[None, :] * mu**2
    return (y - mu) ** 2 / variance / design.shape[1] * hat / (1 - hat) ** 2


def _replicates_at_least(cells: np.ndarray, minimum: int) -> np.ndarray:
    sizes = np.bincount(cells)
    return sizes[cells] >= minimum


def _refit_outliers(
    counts: np.ndarray, cooks: np.ndarray, replaceable: np.ndarray, cutoff: float, size_factors: np.ndarray,
    cells: np.ndarray, n_cells: int, max_disp: float, trend, prior: tuple[float, float],  # type: ignore[no-untyped-def]
    base_mean: np.ndarray, dispersions: np.ndarray, eta: np.ndarray, zero_after_refit: np.ndarray,
) -> np.ndarray | None:
    """Replace outlier counts by trimmed means and refit those genes (arrays updated in place)."""
    from pydeseq2.utils import trimmed_mean

    above = np.nan_to_num(cooks, nan=0.0) > cutoff
    replaced = above.any(axis=0)
    if not replaced.any():
        return None
    sub = counts[:, replaced].copy()
    trimmed = np.asarray(trimmed_mean(sub / size_factors[:, None], trim=0.2, axis=0))
    replacement = (trimmed[None, :] * size_factors[:, None]).astype(int)
    swap = replaceable[:, None] & above[:, replaced]
    sub[swap] = replacement[swap]
    all_zero = (sub == 0).all(axis=0)
    genes = np.flatnonzero(replaced)
    zero_after_refit[genes[all_zero]] = True
    base_mean[genes[all_zero]] = 0.0
    refit_genes = genes[~all_zero]
    if refit_genes.size == 0:
        return None
    y = sub[:, ~all_zero].astype(float)
    stages = _Stages(y, size_factors, cells, n_cells, max_disp)
    genewise = stages.genewise()
    means = (y / size_factors[:, None]).mean(axis=0)
    fitted = trend(means)
    new_disp = stages.map(genewise, fitted, *prior)
    new_eta, _ = stages.cell_means(new_disp)
    base_mean[refit_genes] = means
    dispersions[refit_genes] = new_disp
    eta[:, refit_genes] = new_eta
    replace_cooks = cooks.copy()
    replace_cooks[np.ix_(replaceable, refit_genes)] = 0.0
    return replace_cooks


def _cooks_outlier(
    counts: np.ndarray, cooks: np.ndarray, replace_cooks: np.ndarray | None, cells: np.ndarray, cutoff: float
) -> np.ndarray:
    """pydeseq2's rule: a Cook's distance over the F(0.99) cutoff in a cell of 3+ replicates, unless
    3 or more samples have higher counts than the outlying one."""
    use = _replicates_at_least(cells, 3)
    source = replace_cooks if replace_cooks is not None else cooks
    with np.errstate(invalid="ignore"):
        outlier = (np.nan_to_num(source[use], nan=-np.inf) > cutoff).any(axis=0)
    if outlier.any():
        sub_cooks = np.nan_to_num(cooks[:, outlier], nan=-np.inf)
        position = sub_cooks.argmax(axis=0)
        sub_counts = counts[:, outlier]
        higher = (sub_counts > sub_counts[position, np.arange(position.size)]).sum(axis=0)
        outlier[outlier] = higher < 3
    return outlier
