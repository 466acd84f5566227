// Does not use the broken network: the build must fail on the .dnet file alone.
Console.WriteLine("built");
