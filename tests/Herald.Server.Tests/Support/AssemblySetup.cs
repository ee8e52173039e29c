using Herald.Server.Tests.Support;

[assembly: AssemblyFixture(typeof(PostgresServer))]
