using System.Globalization;

// Uses the generated classes as a user would: typed constructors, options with the files' defaults, layers.
using var tiny = new Consumer.Nets.Tiny(itemsWidth: 50);
using var other = new Consumer.OtherNet(itemsWidth: 7);
using var meta = new Consumer.Meta.MetaNet();

Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"tiny {tiny.Options.LearningRate} {tiny.Options.Batch} {tiny.Options.Epochs} {tiny.Scores.Width} {tiny.Options.H1Dropout} {Consumer.Nets.Tiny.SearchSpace.Dimensions.Count}"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"other {typeof(Consumer.OtherNet).FullName} {other.Options.LearningRate} {other.Options.Batch} {other.Items.Width}"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"meta {typeof(Consumer.Meta.MetaNet).FullName} {meta.Options.Momentum} {meta.Echo.Width}"));
