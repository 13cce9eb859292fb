# syntax=docker/dockerfile:1
# Build a static binary (CGO_ENABLED=0: SQLite is pure Go), run it as a non-root user
# with /data as the volume for the SQLite database and the generated secret key.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN mkdir -p /out/data && CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X github.com/commonsd/commonsd/version.Version=${VERSION}" -o /out/commonsd ./cmd/commonsd

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/commonsd /usr/local/bin/commonsd
COPY --from=build --chown=65532:65532 /out/data /data
ENV COMMONSD_DATA_DIR=/data \
    COMMONSD_SERVER_LISTEN=0.0.0.0:8080
VOLUME ["/data"]
EXPOSE 8080
USER nonroot:nonroot
ENTRYPOINT ["/usr/local/bin/commonsd"]
CMD ["serve"]
