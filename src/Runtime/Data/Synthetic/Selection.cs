namespace DestinyDsl.Runtime.Data;

/// <summary>Quickselect: moves the k smallest keys (with their payloads) to the front, in no particular order.</summary>
internal static class Selection
{
    public static void SmallestFirst(double[] keys, int[] payload, int k)
    {
        int lo = 0, hi = keys.Length - 1;
        while (lo < hi && k > lo && k <= hi)
        {
            // Median-of-three pivot keeps the expected cost linear on any input order.
            var mid = lo + ((hi - lo) >> 1);
            var pivot = Median(keys[lo], keys[mid], keys[hi]);
            int i = lo, j = hi;
            while (i <= j)
            {
                while (keys[i] < pivot) i++;
                while (keys[j] > pivot) j--;
                if (i <= j)
                {
                    (keys[i], keys[j]) = (keys[j], keys[i]);
                    (payload[i], payload[j]) = (payload[j], payload[i]);
                    i++;
                    j--;
                }
            }
            // Now keys[lo..j] ≤ pivot ≤ keys[i..hi]; keep partitioning the side that holds the k-th position.
            if (k <= j) hi = j;
            else if (k >= i) lo = i;
            else return;
        }
    }

    private static double Median(double a, double b, double c)
        => a < b ? (b < c ? b : Math.Max(a, c)) : (a < c ? a : Math.Max(b, c));
}
