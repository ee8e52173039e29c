using Herald.Server.Files;
using Herald.Server.Http;

namespace Herald.Server.Tests.Files;

/// <summary>The rule deciding which attachment references an organization's events may have read (<see cref="FileScope"/>).</summary>
public sealed class FileScopeTests
{
    private static FileScope Scope(string keyPrefix = FileScope.OrganizationPrefix, params string[] buckets) =>
        FileScope.From(new FilesOptions { KeyPrefix = keyPrefix, Buckets = [.. buckets] });

    [Theory]
    [InlineData("739224/e5f6a7b8/meter-photo-2026-02-26.jpg")]
    [InlineData("739224/temp/4d689aeb/document.pdf")]
    [InlineData("739224/x")]
    [InlineData("739224/Rechnung 100%.pdf")]
    [InlineData("739224/100%25 done.pdf")]
    [InlineData("739224/a%2Fb.pdf")]
    [InlineData("739224/..pdf")]
    [InlineData("739224/...")]
    [InlineData("739224/ä/ö.pdf")]
    public void A_plain_key_under_the_organizations_prefix_is_allowed(string key)
    {
        Assert.Null(Scope().Refusal("739224", "epilot-files-prod", key));
    }

    [Theory]
    [InlineData("739225/x.pdf", "its keys start with '739224/' (Files:KeyPrefix '{organization}/')")]
    [InlineData("7392240/x.pdf", "its keys start with '739224/'")]
    [InlineData("739224", "its keys start with '739224/'")]
    [InlineData("x/739224/x.pdf", "its keys start with '739224/'")]
    [InlineData("739224/../739225/x.pdf", "holds a '..' segment")]
    [InlineData("739224/a/../../739225/x.pdf", "holds a '..' segment")]
    [InlineData("739224/./x.pdf", "holds a '.' segment")]
    [InlineData("739224/%2e%2e/739225/x.pdf", "holds a '..' segment once percent-decoded")]
    [InlineData("739224/%2E./739225/x.pdf", "holds a '..' segment once percent-decoded")]
    [InlineData("739224%2f..%2f739225/x.pdf", "holds a '..' segment once percent-decoded")]
    [InlineData("739224/%252e%252e/739225/x.pdf", "holds a '..' segment once percent-decoded")]
    [InlineData("739224/%25252525252e/x.pdf", "percent-encoded more than three times over")]
    [InlineData("739224/%5c..%5cx.pdf", "holds a backslash once percent-decoded")]
    [InlineData("739224/a\\..\\..\\739225\\x.pdf", "holds a backslash")]
    [InlineData("739224//x.pdf", "holds an empty segment")]
    [InlineData("739224/x/", "holds an empty segment")]
    [InlineData("739224/a%2F%2Fb.pdf", "holds an empty segment ('//' or a trailing '/') once percent-decoded")]
    [InlineData("/739224/x.pdf", "starts with '/'")]
    [InlineData("739224/x\0.pdf", "holds a control character")]
    [InlineData("739224/x%00.pdf", "holds a control character once percent-decoded")]
    [InlineData("739224/x\n.pdf", "holds a control character")]
    public void A_key_outside_the_prefix_or_not_plain_is_refused_saying_why(string key, string why)
    {
        var refusal = Scope().Refusal("739224", "epilot-files-prod", key);

        Assert.NotNull(refusal);
        Assert.Contains($"epilot-files-prod/{key}", refusal);
        Assert.Contains(why, refusal);
    }

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("%2e%2e")]
    [InlineData("files ")]
    public void A_bucket_that_is_not_one_plain_name_is_refused(string bucket)
    {
        Assert.Contains("which is not a bucket name", Scope().Refusal("739224", bucket, "739224/x.pdf"));
        Assert.Contains("which is not a bucket name", Scope("").Refusal("739224", bucket, "739224/x.pdf"));
    }

    [Fact]
    public void With_Files_Buckets_only_the_listed_buckets_are_allowed()
    {
        var scope = Scope(FileScope.OrganizationPrefix, "epilot-files-prod", "epilot-files-archive");

        Assert.Null(scope.Refusal("739224", "epilot-files-archive", "739224/x.pdf"));
        Assert.Contains("the bucket 'Epilot-files-prod', which is not one of Files:Buckets", scope.Refusal("739224", "Epilot-files-prod", "739224/x.pdf"));
        Assert.Null(Scope().Refusal("739224", "any.bucket-at_all", "739224/x.pdf"));
    }

    [Theory]
    [InlineData("tenants/{organization}/files/", "tenants/739224/files/x.pdf", null)]
    [InlineData("tenants/{organization}/files/", "tenants/739224/x.pdf", "its keys start with 'tenants/739224/files/'")]
    [InlineData("org-{organization}/", "org-739224/x.pdf", null)]
    [InlineData("org-{organization}/", "org-7392245/x.pdf", "its keys start with 'org-739224/'")]
    [InlineData("{organization}/{organization}/", "739224/739224/x.pdf", null)]
    public void The_placeholder_may_stand_anywhere_in_the_prefix(string prefix, string key, string? why)
    {
        var refusal = Scope(prefix).Refusal("739224", "b", key);

        if (why is null)
        {
            Assert.Null(refusal);
        }
        else
        {
            Assert.Contains(why, refusal);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("a%2fb")]
    [InlineData("{organization}")]
    public void An_organization_id_that_cannot_stand_in_a_prefix_reads_nothing(string organization)
    {
        Assert.Contains("cannot stand in a key prefix", Scope().Refusal(organization, "b", "x/y.pdf"));
    }

    [Fact]
    public void An_empty_prefix_allows_any_plain_key_and_still_refuses_the_rest()
    {
        var scope = Scope("");

        Assert.Null(scope.Refusal("739224", "b", "739225/x.pdf"));
        Assert.Null(scope.Refusal("a/b", "b", "x.pdf"));
        Assert.Contains("holds a '..' segment", scope.Refusal("739224", "b", "739224/../x.pdf"));
    }

    [Theory]
    [InlineData("files/", "must contain {organization}")]
    [InlineData("{org}/", "must contain {organization}")]
    [InlineData("{ORGANIZATION}/", "must contain {organization}")]
    [InlineData("{organization}/{org}/", "holds a '{' or '}' that is not part of {organization}")]
    [InlineData("{organization}", "must end with '/'")]
    [InlineData("{organization}/x", "must end with '/'")]
    [InlineData("/{organization}/", "must not start with '/'")]
    [InlineData("t%2f/{organization}/", "must not hold a '%'")]
    [InlineData("t//{organization}/", "holds an empty segment")]
    [InlineData("t/../{organization}/", "holds a '..' segment")]
    [InlineData("t\\{organization}/", "holds a backslash")]
    public void A_prefix_herald_cannot_use_stops_the_start(string prefix, string problem)
    {
        var error = Assert.Throws<InvalidSettingException>(() => Scope(prefix));

        Assert.StartsWith($"Files:KeyPrefix '{prefix}' {problem}", error.Message);
    }

    [Fact]
    public void A_bucket_setting_that_is_not_a_bucket_name_stops_the_start()
    {
        var error = Assert.Throws<InvalidSettingException>(() => Scope(FileScope.OrganizationPrefix, "ok", "a/b"));

        Assert.StartsWith("Files:Buckets[1] 'a/b' is not a bucket name", error.Message);
    }
}
