# Build a static binary, then run it from a minimal image. Used by `fly deploy`.
ARG GO_VERSION=1.26
FROM golang:${GO_VERSION} AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /trolykhoinghiep .

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /trolykhoinghiep /trolykhoinghiep
# The database lives on the mounted volume (DB_PATH=/data/bot.db in fly.toml).
USER root
ENTRYPOINT ["/trolykhoinghiep"]
