#!/usr/bin/env bash
#
# Records the bundles of the current commit as release VERSION in build/baseline-repository, the Maven repository
# the build's semantic-versioning gate (bnd-baseline-maven-plugin, configured in bundles/pom.xml) compares every
# bundle's exported packages with.
#
#   build/record-baseline.sh VERSION [--replace]
#
# What it does: exports the committed tree (HEAD, never uncommitted edits) to a scratch folder, sets the project
# version there to VERSION, builds every bundle under bundles/ (unsigned, without tests), and deploys each bundle jar
# with a pom of its own into build/baseline-repository (Maven's remote layout, with checksums). A copy of VERSION that
# an earlier build cached in the local Maven repository is removed, so the next build reads the new one. Nothing in
# the work tree changes except build/baseline-repository.
#
# Then set <panacea.baseline.version> in bundles/pom.xml to VERSION and commit both. An existing VERSION is kept
# unless --replace is given (a release's baseline is not rewritten; replace only one never released).
#
# Environment: MVN (default mvn), MVN_ARGS (extra Maven arguments, e.g. -o to work offline),
# MAVEN_LOCAL_REPOSITORY (default ~/.m2/repository).
#
set -euo pipefail

version=${1:-}
replace=${2:-}
if [[ ! $version =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || [[ -n $replace && $replace != --replace ]]; then
    echo "usage: $0 VERSION [--replace]   (VERSION is a release: MAJOR.MINOR.MICRO)" >&2
    exit 2
fi

root=$(cd "$(dirname "$0")/.." && pwd)
repository="$root/build/baseline-repository"
local_repository=${MAVEN_LOCAL_REPOSITORY:-$HOME/.m2/repository}
mvn=${MVN:-mvn}
read -r -a mvn_args <<<"${MVN_ARGS:-}"
# deploy:deploy-file refuses to run offline; it writes to a local folder and needs no network anyway.
deploy_args=()
for arg in "${mvn_args[@]}"; do
    [[ $arg == -o || $arg == --offline ]] || deploy_args+=("$arg")
done

if compgen -G "$repository/org/panacea/*/$version" >/dev/null; then
    if [[ $replace != --replace ]]; then
        echo "$version is already recorded in $repository (give --replace to record it again)" >&2
        exit 1
    fi
    rm -rf "$repository"/org/panacea/*/"$version"
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
git -C "$root" archive --format=tar HEAD | tar -x -C "$work"
commit=$(git -C "$root" rev-parse --short HEAD)

# The release version everywhere the project version is written (the poms only).
current=$(sed -n '/<artifactId>panacea-parent<\/artifactId>/{n;s/.*<version>\(.*\)<\/version>.*/\1/p;q}' "$work/pom.xml")
[[ -n $current ]] || { echo "cannot read the project version from pom.xml" >&2; exit 1; }
find "$work" -name pom.xml -exec sed -i "s/<version>${current//./\\.}<\/version>/<version>$version<\/version>/g" {} +

# Every module under bundles/ (and the plugins' test kit, a test dependency of theirs).
modules=$(cd "$work" && find bundles -name pom.xml -not -path '*/target/*' -printf '%h,' && echo sdk/plugin-testkit)
echo "Building the bundles of $commit as $version..."
(cd "$work" && "$mvn" -B -q -Dstyle.color=never "${mvn_args[@]}" package -pl "$modules" -DskipTests -Djarsigner.skip=true)

count=0
while IFS= read -r jar; do
    artifact=$(basename "$jar" "-$version.jar")
    # A pom of its own, without parent or dependencies (deploy-file would otherwise take the module's pom from
    # the jar, whose parent is not recorded): the baseline reads the jar only.
    pom="$work/$artifact.pom"
    cat >"$pom" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>org.panacea</groupId>
  <artifactId>$artifact</artifactId>
  <version>$version</version>
  <description>Release $version of $artifact, recorded from commit $commit as the API baseline.</description>
</project>
EOF
    "$mvn" -B -q -Dstyle.color=never "${deploy_args[@]}" -f "$work/pom.xml" -N deploy:deploy-file \
        -Dfile="$jar" -DpomFile="$pom" -DrepositoryId=panacea-baseline -Durl="file://$repository"
    rm -rf "${local_repository:?}/org/panacea/$artifact/$version"
    count=$((count + 1))
done < <(find "$work/bundles" -path '*/target/*' -name "panacea-*-$version.jar" | sort)

echo "Recorded $count bundles of $commit as $version in ${repository#"$root"/}"
