Console.WriteLine("LoadTest: not implemented yet");
return 2;
