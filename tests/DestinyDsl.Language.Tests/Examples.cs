namespace DestinyDsl.Language.Tests;

/// <summary>The two examples of LANGUAGE.md, verbatim: they are the language's contract.</summary>
internal static class Examples
{
    public const string MovieLens = """
        // MovieLens.dnet — recommendations from viewing history
        namespace Samples.MovieLens;

        network MovieLensAutoencoder
        {
            input  items  : sparse auto                       // width bound from the data at construction
            hidden h1     : 128 sigmoid
            output scores : sparse auto sigmoid <- h1 target items

            loss      scaled_marginal_cross_entropy(one_target = 1, zero_target = 0, one_scale = 1, zero_scale = 1)
            optimizer sgd(learning_rate = 0.025, momentum = 0.9)
            train     batch = 256, epochs = 10, denoising = 0.2, sparseness_penalty(p = 0.5, beta = 2)
        }
        """;

    public const string DeepAutoencoder = """
        network DeepAutoencoder
        {
            input  items  : sparse auto
            hidden h1     : 1024 sigmoid dropout(0.1) init(xavier)
            hidden h2     : 1024 tune(256 .. 4096, log, int) sigmoid
            hidden h3     : 1024 sigmoid <- h2, h1            // several sources are summed (skip connection)
            output scores : sparse auto sigmoid <- h3 target items

            loss      scaled_marginal_cross_entropy
            optimizer rmsprop(learning_rate = 0.01 tune(1e-4 .. 1e-1, log), decay = 0.9)
            train     batch = 256, epochs = 20
        }
        """;

    /// <summary>The shape from the task brief: every clause kind at once.</summary>
    public const string Everything = """
        namespace Samples.MovieLens;                 // optional, once, before networks
        network MovieLensAutoencoder {
            input  items  : sparse auto
            hidden h1     : 128 sigmoid dropout(0.1) init(gaussian(0.01)) bias(-10.2) max_norm(3)
            hidden h2     : 1024 tune(256 .. 4096, log, int) sigmoid
            hidden h3     : 1024 sigmoid <- h2, h1            // several sources are summed
            output scores : sparse auto sigmoid <- h3 target items
            loss      scaled_marginal_cross_entropy(one_target = 1, zero_target = 0, one_scale = 1, zero_scale = 1)
            optimizer rmsprop(learning_rate = 0.01 tune(1e-4 .. 1e-1, log), decay = 0.9)
            train     batch = 256, epochs = 20, denoising = 0.2, shuffle = true, seed = 7, sparseness_penalty(p = 0.5, beta = 2)
        }
        """;
}
