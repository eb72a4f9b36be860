"""Per-vehicle speed statistics: hand-computed values, independent checks, coverage."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats as sps

from trafikplan._errors import InputError
from trafikplan.stats import STATS_COLUMNS, local_keys, speed_stats

SITES = pd.DataFrame({
    "site_id": ["K01", "K02", "K03"],
    "street": ["Ringvägen", "Skogsleden", "Östanåsgatan"],
    "speed_limit": [50.0, 40.0, 30.0],
})


def vehicles(site, times, speeds, direction="1", headway=None, vclass=None):
    n = len(speeds)
    return pd.DataFrame({
        "site_id": pd.array([site] * n, dtype="str"),
        "time": pd.to_datetime(list(times), utc=True),
        "direction": pd.array([direction] * n, dtype="str"),
        "speed": np.asarray(speeds, dtype=float),
        "length": np.full(n, 4.5),
        "headway": np.full(n, 30.0) if headway is None else np.asarray(headway, float),
        "vehicle_class": pd.array(["car"] * n if vclass is None else list(vclass), dtype="str"),
        "source": "counters/test.csv",
    })


def in_hour(start_utc, n, spacing_s=None):
    t0 = pd.Timestamp(start_utc)
    step = spacing_s if spacing_s is not None else 3599 / max(n, 1)
    return [t0 + pd.Timedelta(seconds=i * step) for i in range(n)]


@pytest.fixture
def hour30():
    # 30 vehicles, 30..59 km/h, Monday 2024-04-15 07:00-08:00 local (05:00 UTC)
    return vehicles("K01", in_hour("2024-04-15T05:00:00Z", 30), 30 + np.arange(30))


def test_hand_computed_hour(hour30):
    res = speed_stats(hour30, SITES)
    assert len(res) == 1
    r = res.iloc[0]
    assert (r.site_id, r.direction, r.hour_start) == ("K01", "1", "2024-04-15T07:00:00+02:00")
    assert (r.street, r.speed_limit, r.basis) == ("Ringvägen", 50.0, "vehicles")
    assert (r.n, r.n_days, r.n_hours) == (30, 1, 1)
    assert r.mean_speed == pytest.approx(44.5)
    assert r.sd == pytest.approx(np.sqrt(77.5))  # sd of 0..29
    assert r.mean_speed_lo == pytest.approx(44.5 - 3.2872467, abs=1e-6)
    assert r.mean_speed_hi == pytest.approx(44.5 + 3.2872467, abs=1e-6)
    # V85: h = 29 * 0.85 = 24.65 -> 54 + 0.65; ranks 21 and 30 -> 50 and 59
    assert r.v85 == pytest.approx(54.65)
    assert (r.v85_lo, r.v85_hi) == (50.0, 59.0)
    # V50: 44.5, ranks 10 and 21 -> 39 and 50
    assert r.v50 == pytest.approx(44.5)
    assert (r.v50_lo, r.v50_hi) == (39.0, 50.0)
    # V95 needs n >= 72
    assert np.isnan(r.v95) and np.isnan(r.v95_lo) and np.isnan(r.v95_hi)
    # speeds > 50 (50 itself is not over): 51..59 = 9 of 30
    assert r.share_over_limit == pytest.approx(0.3)
    assert r.share_over_10 == 0.0 and r.share_over_10_lo == 0.0 and r.share_over_10_hi > 0
    assert r.vehicles_per_hour == 30.0
    assert (r.n_classified, r.share_heavy, r.n_excluded_headway) == (30, 0.0, 0)
    assert list(res.columns) == ["site_id", "direction", "hour_start", *STATS_COLUMNS]


def test_too_few_vehicles_gives_nan_not_a_number(hour30):
    res = speed_stats(hour30.iloc[:22], SITES)
    assert np.isnan(res.v85.iloc[0]) and np.isnan(res.v85_lo.iloc[0])
    assert not np.isnan(res.v50.iloc[0])
    res = speed_stats(hour30.iloc[:23], SITES)
    assert not np.isnan(res.v85.iloc[0])
    res = speed_stats(hour30.iloc[:23], SITES, min_n_percentile=25)
    assert np.isnan(res.v85.iloc[0]) and np.isnan(res.v50.iloc[0])


def _random_vehicles(seed, n=60_000):
    rng = np.random.default_rng(seed)
    site = rng.choice(["K01", "K02", "K03"], n)
    limit = SITES.set_index("site_id").speed_limit.reindex(site).to_numpy()
    t = pd.Timestamp("2024-04-15T00:00Z").value + rng.integers(0, 7 * 86400, n) * 10**9
    return pd.DataFrame({
        "site_id": pd.array(site, dtype="str"),
        "time": pd.to_datetime(np.sort(t), utc=True),
        "direction": pd.array(rng.choice(["N", "S"], n), dtype="str"),
        "speed": np.round(rng.normal(limit, 0.15 * limit), 1),
        "length": rng.lognormal(1.5, 0.3, n),
        "headway": rng.exponential(15, n),
        "vehicle_class": pd.array(rng.choice(["car", "heavy", "unknown"], n, p=[.9, .06, .04]),
                                  dtype="str"),
        "source": "counters/x.csv",
    })


def test_against_pandas_groupby():
    v = _random_vehicles(1)
    res = speed_stats(v, SITES, by=("site_id", "direction", "hour_start"))
    local = v.time.dt.tz_convert("Europe/Stockholm").dt.floor("h")
    grp = v.groupby([v.site_id, v.direction, local]).speed
    ref = pd.DataFrame({"n": grp.size(), "mean": grp.mean(), "sd": grp.std(),
                        "v85": grp.quantile(0.85), "v50": grp.quantile(0.5)}).reset_index()
    assert len(ref) == len(res)
    ref = ref.sort_values(["site_id", "direction", "time"]).reset_index(drop=True)
    assert (res.site_id.to_numpy() == ref.site_id.to_numpy()).all()
    assert np.array_equal(res.n.to_numpy(), ref.n.to_numpy())
    np.testing.assert_allclose(res.mean_speed, ref["mean"], rtol=1e-12)
    np.testing.assert_allclose(res.sd, ref["sd"], rtol=1e-9)
    ok = res.n >= 23
    np.testing.assert_allclose(res.v85[ok], ref.v85[ok], rtol=1e-12)
    assert res.v85[~ok].isna().all()
    # shares: each vehicle against its site's limit
    lim = SITES.set_index("site_id").speed_limit
    over = v.speed > v.site_id.map(lim).to_numpy()
    share = over.groupby([v.site_id, v.direction, local]).mean().reset_index(drop=True)
    np.testing.assert_allclose(res.share_over_limit, share.to_numpy(), rtol=1e-12)


def test_percentile_interval_ranks_against_scipy_per_group():
    v = _random_vehicles(2, n=8000)
    res = speed_stats(v, SITES, by=("site_id", "weekday"))
    for r in res.itertuples():
        x = np.sort(v.speed[(v.site_id == r.site_id)
                            & (v.time.dt.tz_convert("Europe/Stockholm").dt.day_of_week + 1
                               == r.weekday)].to_numpy())
        ci = sps.quantile_test(x, q=0, p=0.85).confidence_interval(0.95)
        assert (r.v85_lo, r.v85_hi) == (ci.low, ci.high)
        assert r.v85 == pytest.approx(np.quantile(x, 0.85))


def test_groups_over_several_sites_compare_each_vehicle_with_its_own_limit():
    a = vehicles("K01", in_hour("2024-04-15T05:00Z", 4), [49, 51, 55, 62])  # limit 50
    b = vehicles("K03", in_hour("2024-04-15T05:00Z", 4), [29, 31, 35, 45])  # limit 30
    res = speed_stats(pd.concat([a, b]), SITES, by=("hour_of_day",))
    r = res.iloc[0]
    assert r.n == 8
    assert r.share_over_limit == pytest.approx(6 / 8)
    assert r.share_over_10 == pytest.approx(2 / 8)  # 62 > 60, 45 > 40
    assert np.isnan(r.speed_limit)
    assert r.street == "Ringvägen; Östanåsgatan"
    assert r.n_hours == 2  # one hour at each of two sites
    assert r.vehicles_per_hour == 4.0


def test_unknown_site_has_no_limit_and_nan_shares(hour30):
    v = hour30.assign(site_id=pd.array(["X99"] * len(hour30), dtype="str"))
    r = speed_stats(v, SITES).iloc[0]
    assert pd.isna(r.street) and np.isnan(r.speed_limit)
    assert np.isnan(r.share_over_limit) and np.isnan(r.share_over_limit_lo)
    assert r.mean_speed == pytest.approx(44.5)


def test_free_flow_leaves_close_vehicles_out_and_counts_them(hour30):
    hw = np.where(np.arange(30) % 3 == 0, 2.0, 12.0)
    hw[1] = np.nan  # unknown headway counts as free flow
    v = hour30.assign(headway=hw)
    all_ = speed_stats(v, SITES).iloc[0]
    ff = speed_stats(v, SITES, free_flow_headway_s=5.0).iloc[0]
    assert all_.n == 30 and all_.n_excluded_headway == 0
    assert ff.n_excluded_headway == 10 and ff.n == 20
    kept = v.speed[~(hw < 5.0)]
    assert ff.mean_speed == pytest.approx(kept.mean())
    assert ff.v50 == pytest.approx(np.quantile(kept, 0.5))
    assert np.isnan(ff.v85)  # 20 < 23
    assert ff.vehicles_per_hour == 30.0  # flow counts every vehicle


def test_bicycles_left_out_by_default(hour30):
    bikes = vehicles("K01", in_hour("2024-04-15T05:10Z", 5), [15] * 5, vclass=["bicycle"] * 5)
    v = pd.concat([hour30, bikes], ignore_index=True)
    assert speed_stats(v, SITES).n.iloc[0] == 30
    assert speed_stats(v, SITES, include_bicycles=True).n.iloc[0] == 35


def test_heavy_share_among_classified(hour30):
    cls = ["heavy"] * 3 + ["unknown"] * 7 + ["car"] * 20
    r = speed_stats(hour30.assign(vehicle_class=pd.array(cls, dtype="str")), SITES).iloc[0]
    assert r.n_classified == 23
    assert r.share_heavy == pytest.approx(3 / 23)
    assert r.share_heavy_lo < 3 / 23 < r.share_heavy_hi


def test_quiet_hours_inside_a_measurement_count_as_measured():
    # vehicles at 00, 03 and 12 o'clock UTC hours: 01-02 is a short gap (measured,
    # no traffic), 04-11 a long gap (no measurement)
    t = (in_hour("2024-04-15T00:00Z", 10) + in_hour("2024-04-15T03:00Z", 10)
         + in_hour("2024-04-15T12:00Z", 10))
    v = vehicles("K01", t, np.full(30, 45.0))
    r = speed_stats(v, SITES, by=("site_id",)).iloc[0]
    assert r.n_hours == 5  # 00, 01, 02, 03, 12
    assert r.vehicles_per_hour == pytest.approx(30 / 5)
    assert r.n_days == 1


def test_n_days_counts_local_dates():
    t = (in_hour("2024-04-15T05:00Z", 30) + in_hour("2024-04-16T05:00Z", 30)
         + in_hour("2024-04-22T05:00Z", 30))
    v = vehicles("K01", t, np.tile(30 + np.arange(30), 3))
    res = speed_stats(v, SITES, by=("site_id", "weekday", "hour_of_day"))
    assert list(res.weekday) == [1, 2]
    assert list(res.n_days) == [2, 1]
    assert list(res.n) == [60, 30]
    assert list(res.n_hours) == [2, 1]


def test_bins_for_hours_with_vehicles_are_not_counted_twice(hour30):
    def bins_at(start):
        s = pd.Timestamp(start)
        rows = []
        for q in range(4):
            for lo, hi, c in ((0, 40, 5), (40, 50, 10), (50, np.inf, 2)):
                rows.append(("K01", s + pd.Timedelta(minutes=15 * q),
                             s + pd.Timedelta(minutes=15 * (q + 1)), "all", lo, hi, c))
        return pd.DataFrame(rows, columns=["site_id", "start", "end", "direction", "speed_lo",
                                           "speed_hi", "count"]).assign(source="b.csv")

    bins = pd.concat([bins_at("2024-04-15T05:00Z"), bins_at("2024-04-15T09:00Z")])
    res = speed_stats(hour30, SITES, bins=bins, by=("site_id",))
    assert list(res.basis) == ["bins", "vehicles"]
    assert res.set_index("basis").n.to_dict() == {"bins": 68, "vehicles": 30}
    res = speed_stats(hour30, SITES, bins=bins)  # default keys keep "all" bins apart
    assert list(zip(res.direction, res.basis, strict=True)) == [("1", "vehicles"),
                                                                ("all", "bins")]
    assert res.hour_start.tolist() == ["2024-04-15T07:00:00+02:00", "2024-04-15T11:00:00+02:00"]


def test_empty_input_gives_empty_table_with_columns():
    v = vehicles("K01", [], [])
    res = speed_stats(v, SITES, by="site_id,date")
    assert res.empty
    assert list(res.columns) == ["site_id", "date", *STATS_COLUMNS]


@pytest.mark.parametrize("by", ["site_id,hour", ("site_id", "site_id")])
def test_bad_keys_are_input_errors(hour30, by):
    with pytest.raises(InputError):
        speed_stats(hour30, SITES, by=by)


def test_everything_in_one_group(hour30):
    res = speed_stats(hour30, SITES, by=())
    assert len(res) == 1 and res.n.iloc[0] == 30


def test_intervals_cover_true_values_in_about_95_percent_of_sites():
    # 600 simulated sites, 150 vehicles each, normal speeds: true V85, mean and
    # share over the limit are known, so the coverage can be counted.
    rng = np.random.default_rng(20240415)
    n_sites, n = 600, 150
    mu = rng.uniform(35, 55, n_sites)
    sigma = rng.uniform(5, 9, n_sites)
    ids = np.array([f"S{i:03d}" for i in range(n_sites)])
    sites = pd.DataFrame({"site_id": ids, "street": ids, "speed_limit": 45.0})
    site = np.repeat(np.arange(n_sites), n)
    v = pd.DataFrame({
        "site_id": pd.array(ids[site], dtype="str"),
        "time": pd.Timestamp("2024-05-06T06:00Z") + pd.to_timedelta(
            rng.uniform(0, 3600, n * n_sites), unit="s"),
        "direction": pd.array(["1"] * (n * n_sites), dtype="str"),
        "speed": rng.normal(mu[site], sigma[site]),
        "headway": 20.0,
        "vehicle_class": pd.array(["car"] * (n * n_sites), dtype="str"),
    })
    res = speed_stats(v, sites, by=("site_id",)).set_index("site_id").loc[ids]
    true_v85 = mu + sps.norm.ppf(0.85) * sigma
    true_share = 1 - sps.norm.cdf((45.0 - mu) / sigma)
    cover = {
        "v85": np.mean((res.v85_lo <= true_v85) & (true_v85 <= res.v85_hi)),
        "mean": np.mean((res.mean_speed_lo <= mu) & (mu <= res.mean_speed_hi)),
        "share": np.mean((res.share_over_limit_lo <= true_share)
                         & (true_share <= res.share_over_limit_hi)),
    }
    # binomial sd of a coverage estimate over 600 sites is about 0.009
    for name, c in cover.items():
        assert 0.925 <= c <= 0.985, (name, c)


def test_missing_site_id_is_its_own_unknown_site(hour30):
    v = hour30.assign(site_id=pd.array([None] * 5 + ["K01"] * 25, dtype="str"))
    res = speed_stats(v, SITES, by=("site_id",))
    assert res.site_id.tolist() == ["?", "K01"]
    assert res.n.tolist() == [5, 25]
    assert np.isnan(res.speed_limit.iloc[0]) and res.speed_limit.iloc[1] == 50.0


@pytest.mark.slow
@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), n=st.integers(1, 400),
       by=st.lists(st.sampled_from(["site_id", "direction", "date", "hour_start", "weekday",
                                    "hour_of_day"]), unique=True, max_size=3),
       free_flow=st.sampled_from([None, 4.0]))
def test_vectorised_groups_match_a_plain_groupby(seed, n, by, free_flow):
    rng = np.random.default_rng(seed)
    site = rng.choice(["K01", "K02", "K03"], n)
    # around the autumn DST night, so local keys matter
    t = pd.Timestamp("2024-10-26T12:00Z").value + rng.integers(0, 36 * 3600, n) * 10**9
    v = pd.DataFrame({
        "site_id": pd.array(site, dtype="str"),
        "time": pd.to_datetime(t, utc=True),
        "direction": pd.array(rng.choice(["1", "2"], n), dtype="str"),
        "speed": np.round(rng.normal(42, 9, n), 1).clip(1, None),
        "headway": rng.exponential(10, n),
        "vehicle_class": pd.array(["car"] * n, dtype="str"),
    })
    res = speed_stats(v, SITES, by=by, free_flow_headway_s=free_flow)
    keys = local_keys(v["time"])
    frame = pd.concat([v, keys], axis=1)
    if free_flow is not None:
        frame = frame[~(frame.headway < free_flow)]
    frame = frame.assign(
        over=frame.speed > frame.site_id.map(SITES.set_index("site_id").speed_limit).astype(float))
    if by:
        ref = frame.groupby(by).agg(n=("speed", "size"), mean=("speed", "mean"),
                                    over=("over", "mean"),
                                    v50=("speed", lambda s: np.quantile(s, 0.5)))
        got = res.set_index(by).loc[ref.index]
    else:
        ref = pd.DataFrame({"n": [len(frame)], "mean": [frame.speed.mean()],
                            "over": [frame.over.mean()],
                            "v50": [np.quantile(frame.speed, 0.5) if len(frame) else np.nan]})
        got = res
    if by:  # groups whose vehicles were all left out have n == 0 (the plain groupby drops them)
        got = got[got.n > 0]
    assert len(got) == len(ref)
    assert np.array_equal(got.n.to_numpy(), ref.n.to_numpy())
    np.testing.assert_allclose(got.mean_speed, ref["mean"], rtol=1e-12)
    np.testing.assert_allclose(got.share_over_limit, ref.over, rtol=1e-12)
    ok = got.n.to_numpy() >= 6
    np.testing.assert_allclose(got.v50.to_numpy()[ok], ref.v50.to_numpy()[ok], rtol=1e-12)
    assert np.isnan(got.v50.to_numpy()[~ok]).all()
    assert res.n_excluded_headway.sum() + res.n.sum() == len(v)


@pytest.mark.parametrize("decimals", [1, 2])
def test_speeds_sort_within_groups_the_same_by_tenths_or_by_floats(decimals):
    from trafikplan.stats.vehicles import _sort_within_groups, _sorted_tenths

    rng = np.random.default_rng(decimals)
    n, n_groups = 20_000, 300
    g = rng.integers(0, n_groups, n)
    speed = np.round(rng.normal(45, 12, n).clip(0, None), decimals)
    s, key, k = _sort_within_groups(speed, g, n_groups)
    order = np.lexsort((speed, g))
    # bit for bit: the sorted speeds and the key of the float path
    assert np.array_equal(s.view(np.int64), speed[order].view(np.int64))
    assert np.array_equal(key, g[order] * k + speed[order])
    # whole tenths take the integer sort; hundredths the float argsort
    assert (_sorted_tenths(speed, g, n_groups, float(speed.max())) is None) == (decimals == 2)


def test_a_negative_zero_speed_is_not_sorted_as_tenths():
    from trafikplan.stats.vehicles import _sorted_tenths

    speed = np.array([50.0, -0.0, 31.2])
    assert _sorted_tenths(speed, np.zeros(3, np.int64), 1, 50.0) is None
