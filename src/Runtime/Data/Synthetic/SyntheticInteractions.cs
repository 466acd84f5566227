using System.Globalization;
using System.Numerics.Tensors;
using DestinyDsl.Runtime.Data.IO;

namespace DestinyDsl.Runtime.Data;

/// <summary>
/// Generates MovieLens-like implicit-feedback data: Zipf-like item popularity, heavy-tailed (shifted log-normal)
/// history lengths, and latent topics that make some items go together so that a recommender can beat popularity.
/// Each user's items are a weighted sample without replacement from
/// p(i | u) = (1 − τ_u)·w_i / W + τ_u · Σ_t θ_ut · w_i a_it / W_t
/// (w: popularity, a: item–topic affinity, θ: the user's topic mix, τ: the user's topic share; see docs/data.md).
/// Deterministic for a seed: every user's draws come from a stream keyed by (seed, user).
/// </summary>
public static class SyntheticInteractions
{
    private const ulong ItemStream = 1;
    private const ulong UserStream = 2;
    private const float SecondTopicAffinity = 0.5f;

    /// <summary>Generates the data; users are "u1"…, items "m1"….</summary>
    public static InteractionData Generate(SyntheticOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);
        var catalogue = ItemCatalogue.Create(options);
        var rows = new int[options.Users][];
        var maxHistory = Math.Max(options.MinHistory, (int)(options.MaxHistoryFraction * options.Items));

        Parallel.For(0, options.Users, () => new UserSampler(catalogue, options), (user, _, sampler) =>
        {
            rows[user] = sampler.Sample(user, maxHistory);
            return sampler;
        }, _ => { });

        var builder = new SparseMatrixBuilder(options.Items);
        foreach (var row in rows) builder.AddRow(row);
        return new InteractionData(builder.Build(), IndexMap.Numbered("u", options.Users), IndexMap.Numbered("m", options.Items));
    }

    private static void Validate(SyntheticOptions o)
    {
        static void Check(bool ok, string name, object value, string rule)
        {
            if (!ok) throw new ArgumentOutOfRangeException(name, value, $"SyntheticOptions.{name} = {Convert.ToString(value, CultureInfo.InvariantCulture)}: {rule}.");
        }
        Check(o.Users > 0, nameof(o.Users), o.Users, "must be positive");
        Check(o.Items > 0, nameof(o.Items), o.Items, "must be positive");
        Check(o.Topics > 0, nameof(o.Topics), o.Topics, "must be positive");
        Check(o.MinHistory >= 1, nameof(o.MinHistory), o.MinHistory, "must be at least 1");
        Check(o.MinHistory <= o.Items, nameof(o.MinHistory), o.MinHistory, $"must not exceed Items ({o.Items})");
        Check(o.MedianHistory > o.MinHistory, nameof(o.MedianHistory), o.MedianHistory, $"must exceed MinHistory ({o.MinHistory})");
        Check(double.IsFinite(o.HistorySpread) && o.HistorySpread >= 0, nameof(o.HistorySpread), o.HistorySpread, "must be a finite number ≥ 0");
        Check(o.MaxHistoryFraction is > 0 and <= 1, nameof(o.MaxHistoryFraction), o.MaxHistoryFraction, "must be in (0, 1]");
        Check(double.IsFinite(o.PopularityExponent) && o.PopularityExponent >= 0, nameof(o.PopularityExponent), o.PopularityExponent, "must be a finite number ≥ 0");
        Check(double.IsFinite(o.PopularityOffset) && o.PopularityOffset >= 0, nameof(o.PopularityOffset), o.PopularityOffset, "must be a finite number ≥ 0");
        Check(double.IsFinite(o.PopularityTailDecay) && o.PopularityTailDecay >= 0, nameof(o.PopularityTailDecay), o.PopularityTailDecay, "must be a finite number ≥ 0");
        Check(o.TopicShare is >= 0 and <= 1, nameof(o.TopicShare), o.TopicShare, "must be in [0, 1]");
        Check(double.IsFinite(o.TopicsPerUser) && o.TopicsPerUser >= 1, nameof(o.TopicsPerUser), o.TopicsPerUser, "must be at least 1");
        Check(o.SecondTopicProbability is >= 0 and <= 1, nameof(o.SecondTopicProbability), o.SecondTopicProbability, "must be in [0, 1]");
    }

    /// <summary>Per-item popularity and topics, shared by all users.</summary>
    private sealed class ItemCatalogue
    {
        private ItemCatalogue(double[] popularity, int[] firstTopic, int[] secondTopic, double[] topicMass, double totalMass)
        {
            Popularity = popularity;
            FirstTopic = firstTopic;
            SecondTopic = secondTopic;
            TopicMass = topicMass;
            TotalMass = totalMass;
        }

        public double[] Popularity { get; }
        public int[] FirstTopic { get; }
        public int[] SecondTopic { get; }   // −1 when none
        public double[] TopicMass { get; }  // W_t = Σ_i w_i a_it
        public double TotalMass { get; }    // W = Σ_i w_i

        public static ItemCatalogue Create(SyntheticOptions o)
        {
            var random = SplitMix64.Derive(o.Seed, ItemStream, 0);
            var n = o.Items;

            // Popularity ranks are a random permutation, so item ids say nothing about popularity.
            var rank = new int[n];
            for (var i = 0; i < n; i++) rank[i] = i;
            for (var i = n - 1; i > 0; i--)
            {
                var j = random.NextInt(i + 1);
                (rank[i], rank[j]) = (rank[j], rank[i]);
            }

            // Topic sizes are uneven too (drama and comedy are big genres): topic t is chosen ∝ 1/√(t+1).
            var topicCumulative = new double[o.Topics];
            var sum = 0.0;
            for (var t = 0; t < o.Topics; t++) topicCumulative[t] = sum += 1 / Math.Sqrt(t + 1);

            var popularity = new double[n];
            var first = new int[n];
            var second = new int[n];
            var topicMass = new double[o.Topics];
            var total = 0.0;
            for (var i = 0; i < n; i++)
            {
                popularity[i] = Math.Pow(rank[i] + 1 + o.PopularityOffset, -o.PopularityExponent) * Math.Exp(-o.PopularityTailDecay * rank[i] / n);
                total += popularity[i];
                first[i] = PickTopic(topicCumulative, ref random);
                second[i] = -1;
                if (o.Topics > 1 && random.NextDouble() < o.SecondTopicProbability)
                {
                    do second[i] = PickTopic(topicCumulative, ref random); while (second[i] == first[i]);
                }
                topicMass[first[i]] += popularity[i];
                if (second[i] >= 0) topicMass[second[i]] += SecondTopicAffinity * popularity[i];
            }
            return new ItemCatalogue(popularity, first, second, topicMass, total);
        }

        public static int PickTopic(double[] cumulative, ref SplitMix64 random)
        {
            var u = random.NextDouble() * cumulative[^1];
            var t = Array.BinarySearch(cumulative, u);
            return Math.Min(t < 0 ? ~t : t + 1, cumulative.Length - 1);
        }
    }

    /// <summary>Draws one user's history; one instance per worker thread, reusing its buffers.</summary>
    private sealed class UserSampler(ItemCatalogue catalogue, SyntheticOptions options)
    {
        private readonly double[] _keys = new double[options.Items];
        private readonly double[] _probability = new double[options.Items];
        private readonly double[] _topicWeight = new double[options.Topics];
        private readonly int[] _order = new int[options.Items];
        private readonly double[] _taste = new double[options.Topics];
        private readonly double[] _topicCumulative = BuildTopicCumulative(options.Topics);

        public int[] Sample(int user, int maxHistory)
        {
            var random = SplitMix64.Derive(options.Seed, UserStream, (ulong)user);
            var length = HistoryLength(ref random, maxHistory);
            var topicShare = Math.Clamp(options.TopicShare + ((random.NextDouble() - 0.5) * 0.4), 0, 1);
            DrawTaste(ref random);

            // p(i | u) up to a constant, then Efraimidis–Spirakis: the `length` smallest Exp(1)/p keys are a
            // weighted sample without replacement (the same law as drawing one item at a time).
            var general = (1 - topicShare) / catalogue.TotalMass;
            for (var t = 0; t < _taste.Length; t++) _topicWeight[t] = topicShare * _taste[t] / catalogue.TopicMass[t];
            for (var i = 0; i < _keys.Length; i++)
            {
                var affinity = _topicWeight[catalogue.FirstTopic[i]];
                var second = catalogue.SecondTopic[i];
                if (second >= 0) affinity += SecondTopicAffinity * _topicWeight[second];
                _probability[i] = -catalogue.Popularity[i] * (general + affinity);
                _keys[i] = random.NextOpenDouble();
                _order[i] = i;
            }
            // keys = Exp(1) / p = log(u) / (−p), vectorised: the logarithms are most of the generator's work.
            TensorPrimitives.Log(_keys, _keys);
            TensorPrimitives.Divide(_keys, _probability, _keys);

            Selection.SmallestFirst(_keys, _order, length);
            var items = _order.AsSpan(0, length).ToArray();
            Array.Sort(items);
            return items;
        }

        private int HistoryLength(ref SplitMix64 random, int maxHistory)
        {
            var mu = Math.Log(options.MedianHistory - options.MinHistory);
            var extra = Math.Exp(mu + (options.HistorySpread * random.NextGaussian()));
            var length = options.MinHistory + (long)Math.Floor(extra);
            return (int)Math.Min(length, Math.Max(maxHistory, options.MinHistory));
        }

        // θ_u: 1 + Poisson(TopicsPerUser − 1) distinct topics (topic popularity as for items), exponential weights.
        private void DrawTaste(ref SplitMix64 random)
        {
            Array.Clear(_taste);
            var count = Math.Min(options.Topics, 1 + Poisson(options.TopicsPerUser - 1, ref random));
            var total = 0.0;
            for (var k = 0; k < count; k++)
            {
                int t;
                do t = ItemCatalogue.PickTopic(_topicCumulative, ref random); while (_taste[t] > 0);
                _taste[t] = -Math.Log(random.NextOpenDouble()) + 1e-3;
                total += _taste[t];
            }
            for (var t = 0; t < _taste.Length; t++) _taste[t] /= total;
        }

        private static int Poisson(double mean, ref SplitMix64 random)
        {
            var limit = Math.Exp(-mean);
            var product = random.NextOpenDouble();
            var k = 0;
            while (product > limit)
            {
                k++;
                product *= random.NextOpenDouble();
            }
            return k;
        }

        private static double[] BuildTopicCumulative(int topics)
        {
            var cumulative = new double[topics];
            var sum = 0.0;
            for (var t = 0; t < topics; t++) cumulative[t] = sum += 1 / Math.Sqrt(t + 1);
            return cumulative;
        }
    }
}
