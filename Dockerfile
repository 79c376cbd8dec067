# Build a static binary, then run it from a minimal image as a non-root
# user. Used by `fly deploy`.
ARG GO_VERSION=1.26
FROM golang:${GO_VERSION} AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /trolykhoinghiep . && mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /trolykhoinghiep /trolykhoinghiep
# The database lives on the volume mounted at /data (DB_PATH=/data/bot.db in
# fly.toml). The directory in the image belongs to the nonroot user, so a
# Docker named volume mounted there starts writable; Fly mounts its volume
# for the image's user (see README, "Deploying on Fly.io").
COPY --from=build --chown=65532:65532 /out/data /data
# distroless "nonroot": uid and gid 65532, no shell.
USER 65532:65532
ENTRYPOINT ["/trolykhoinghiep"]
